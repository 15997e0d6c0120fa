import { z } from "zod";
import { CommonConfig, loadConfig, portSchema } from "../../shared/config/index.js";

export const ApiConfig = CommonConfig.extend({
  PORT: portSchema.default(8080),
  /** Largest accepted request body, after gzip decompression. */
  MAX_BODY_BYTES: z.coerce
    .number()
    .int()
    .positive()
    .default(4 * 1024 * 1024),
  COMMAND_TIMEOUT_MS: z.coerce.number().int().positive().default(10_000),
});

export const loadApiConfig = () => loadConfig(ApiConfig);
export type ApiConfig = ReturnType<typeof loadApiConfig>;
