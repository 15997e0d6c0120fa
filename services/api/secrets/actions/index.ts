import type { SecretsKey } from "../../../../shared/secrets/index.js";
import type { Action } from "../../protocol/action.js";
import { createSecret } from "./createSecret.js";
import { deleteSecret } from "./deleteSecret.js";
import { describeSecret } from "./describeSecret.js";
import { getSecretValue } from "./getSecretValue.js";
import { listSecrets } from "./listSecrets.js";
import { putSecretValue } from "./putSecretValue.js";

/** The Secrets Manager actions Flotilla answers (AWS JSON 1.1, `secretsmanager.<Action>`). */
export const secretsManagerActions = (key: SecretsKey): ReadonlyMap<string, Action> =>
  new Map(
    [
      createSecret(key),
      putSecretValue(key),
      getSecretValue(key),
      describeSecret,
      listSecrets,
      deleteSecret,
    ].map((a) => [a.name, a as Action]),
  );

export const SECRETS_MANAGER_TARGET_PREFIX = "secretsmanager";
