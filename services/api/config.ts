import { z } from "zod";
import { CommonConfig, loadConfig, portSchema } from "../../shared/config/index.js";
import { loadIamConfig } from "./auth/loadIamConfig.js";
import { loadSecretsKey } from "./secrets/loadSecretsKey.js";
import { loadTaskCredentialsKey } from "./taskCredentials/loadTaskCredentialsKey.js";

export const ApiConfig = CommonConfig.extend({
  PORT: portSchema.default(8080),
  /** Largest accepted request body, after gzip decompression. */
  MAX_BODY_BYTES: z.coerce
    .number()
    .int()
    .positive()
    .default(4 * 1024 * 1024),
  COMMAND_TIMEOUT_MS: z.coerce.number().int().positive().default(10_000),
  /** The principals, their access keys and policies as inline JSON (docs/security.md). */
  FLOTILLA_IAM: z.string().optional(),
  /** …or the path of a JSON file holding them; one of the two is required in production. */
  FLOTILLA_IAM_FILE: z.string().optional(),
  /** How often the log store's retention pass runs (one replica at a time; docs/logs.md). */
  LOG_RETENTION_INTERVAL_MS: z.coerce.number().int().positive().default(300_000),
  /** The secret store's AES-256-GCM key, 32 bytes of base64; required in production (docs/secrets.md). */
  FLOTILLA_SECRETS_KEY: z.string().optional(),
  /** Base64 of 32 random bytes: mints and checks task role credentials (docs/security.md, "Task roles"). */
  FLOTILLA_TASK_CREDENTIALS_KEY: z.string().optional(),
  /** How long task role credentials are valid; agents fetch new ones before they expire. */
  FLOTILLA_TASK_CREDENTIALS_TTL_SECONDS: z.coerce.number().int().min(900).max(43_200).default(3600),
});

export const loadApiConfig = () => {
  const config = loadConfig(ApiConfig);
  const { FLOTILLA_SECRETS_KEY: _key, FLOTILLA_TASK_CREDENTIALS_KEY: _taskKey, ...rest } = config;
  // The key's text stays out of the frozen config (which may be logged); the parsed key only.
  return Object.freeze({
    ...rest,
    iam: loadIamConfig(config),
    secrets: loadSecretsKey(config),
    taskCredentials: loadTaskCredentialsKey(config),
  });
};
export type ApiConfig = ReturnType<typeof loadApiConfig>;
