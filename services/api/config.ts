import { z } from "zod";
import { CommonConfig, loadConfig, portSchema } from "../../shared/config/index.js";
import { loadIamConfig } from "./auth/loadIamConfig.js";

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
});

export const loadApiConfig = () => {
  const config = loadConfig(ApiConfig);
  return Object.freeze({ ...config, iam: loadIamConfig(config) });
};
export type ApiConfig = ReturnType<typeof loadApiConfig>;
