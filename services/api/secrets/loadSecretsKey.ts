import { ConfigError } from "../../../shared/config/index.js";
import {
  DEV_SECRETS_KEY,
  parseSecretsKey,
  type SecretsKey,
} from "../../../shared/secrets/index.js";

export interface LoadedSecretsKey {
  readonly key: SecretsKey;
  /** The public development key is in use (the api warns at start). */
  readonly devDefault: boolean;
}

/**
 * The secret store's key: FLOTILLA_SECRETS_KEY, 32 bytes of base64. Without it development
 * gets a public fixed key (values are then only obscured, not protected); production
 * refuses to start, and refuses the development key itself.
 */
export const loadSecretsKey = (env: {
  readonly FLOTILLA_SECRETS_KEY?: string | undefined;
  readonly FLOTILLA_ENV: "development" | "production";
}): LoadedSecretsKey => {
  const text = env.FLOTILLA_SECRETS_KEY?.trim();
  if (!text) {
    if (env.FLOTILLA_ENV === "production") {
      throw new ConfigError(
        "invalid configuration: FLOTILLA_SECRETS_KEY: required when FLOTILLA_ENV=production (32 bytes of base64, e.g. `openssl rand -base64 32`)",
      );
    }
    return { key: DEV_SECRETS_KEY, devDefault: true };
  }
  const parsed = parseSecretsKey(text);
  if (!parsed.ok) {
    throw new ConfigError(`invalid configuration: FLOTILLA_SECRETS_KEY: ${parsed.message}`);
  }
  if (env.FLOTILLA_ENV === "production" && parsed.key.equals(DEV_SECRETS_KEY)) {
    throw new ConfigError(
      "invalid configuration: FLOTILLA_SECRETS_KEY: the development key is refused when FLOTILLA_ENV=production",
    );
  }
  return { key: parsed.key, devDefault: false };
};
