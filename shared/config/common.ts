import { z } from "zod";

const port = z.coerce.number().int().min(0).max(65535);

/** Settings every service shares; each service extends this with its own. */
export const CommonConfig = z.object({
  DATABASE_URL: z.string().url().default("postgres://postgres@127.0.0.1:5432/flotilla"),
  NATS_URL: z.string().default("nats://127.0.0.1:4222"),
  /** This process's own NATS user (docs/security.md, "NATS"); unset = connect without credentials. */
  NATS_USER: z.string().min(1).optional(),
  /** NATS_USER's password; set both or neither. */
  NATS_PASSWORD: z.string().min(1).optional(),
  /** Prefix of every NATS subject and of the JetStream stream name; tests isolate by it. */
  FLOTILLA_PREFIX: z
    .string()
    .regex(/^[a-zA-Z0-9_-]+$/, "letters, digits, '-' and '_' only")
    .default("flotilla"),
  FLOTILLA_REGION: z
    .string()
    .regex(/^[a-z]{2}(-[a-z]+)+-\d$/, "an AWS region name such as us-east-1")
    .default("us-east-1"),
  FLOTILLA_ACCOUNT_ID: z
    .string()
    .regex(/^\d{12}$/, "twelve digits")
    .default("000000000000"),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  HOST: z.string().default("127.0.0.1"),
  HEALTH_PORT: port.optional(),
  /** `production` refuses development defaults (the api's test/test key, a generated audit signing key). */
  FLOTILLA_ENV: z.enum(["development", "production"]).default("development"),
});
export type CommonConfig = z.infer<typeof CommonConfig>;

export const portSchema = port;
