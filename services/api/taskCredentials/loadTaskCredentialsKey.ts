import { ConfigError } from "../../../shared/config/index.js";
import {
  DEV_TASK_CREDENTIALS_KEY,
  deriveTaskCredentialsKeys,
  parseTaskCredentialsKey,
  type TaskCredentialsKeys,
} from "../../../shared/iam/index.js";

export interface LoadedTaskCredentialsKey {
  readonly keys: TaskCredentialsKeys;
  /** The fixed development key: anyone who reads the source could mint credentials with it. */
  readonly devDefault: boolean;
}

/**
 * The task credentials key (docs/security.md, "Task roles"):
 * FLOTILLA_TASK_CREDENTIALS_KEY, base64 of 32 bytes; without it development
 * gets a fixed key and production refuses to start.
 */
export const loadTaskCredentialsKey = (env: {
  readonly FLOTILLA_TASK_CREDENTIALS_KEY?: string | undefined;
  readonly FLOTILLA_ENV: "development" | "production";
}): LoadedTaskCredentialsKey => {
  const text = env.FLOTILLA_TASK_CREDENTIALS_KEY?.trim();
  if (!text) {
    if (env.FLOTILLA_ENV === "production") {
      throw new ConfigError(
        "invalid configuration: FLOTILLA_TASK_CREDENTIALS_KEY: required when FLOTILLA_ENV=production (base64 of 32 random bytes: openssl rand -base64 32)",
      );
    }
    return {
      keys: deriveTaskCredentialsKeys(parseTaskCredentialsKey(DEV_TASK_CREDENTIALS_KEY)!),
      devDefault: true,
    };
  }
  const key = parseTaskCredentialsKey(text);
  if (!key) {
    throw new ConfigError(
      "invalid configuration: FLOTILLA_TASK_CREDENTIALS_KEY: must be base64 of exactly 32 bytes (openssl rand -base64 32)",
    );
  }
  if (env.FLOTILLA_ENV === "production" && text === DEV_TASK_CREDENTIALS_KEY) {
    throw new ConfigError(
      "invalid configuration: FLOTILLA_TASK_CREDENTIALS_KEY: the development key is refused when FLOTILLA_ENV=production",
    );
  }
  return { keys: deriveTaskCredentialsKeys(key), devDefault: false };
};
