import { z } from "zod";

/**
 * The secret store's changes (docs/secrets.md), on the stream `secret:<name>`, appended by
 * the api in the same transaction as the store's row. They say that a secret was created,
 * got a new value or was deleted, and by whom (the metadata's actor) — never the value.
 * Times are epoch milliseconds.
 */
export const SecretCreated = z.object({
  name: z.string(),
  secretArn: z.string(),
  /** The first version's id; absent when the secret was created without a value. */
  versionId: z.string().optional(),
  at: z.number(),
});
export type SecretCreated = z.infer<typeof SecretCreated>;

export const SecretValuePut = z.object({
  name: z.string(),
  secretArn: z.string(),
  versionId: z.string(),
  at: z.number(),
});
export type SecretValuePut = z.infer<typeof SecretValuePut>;

export const SecretDeleted = z.object({
  name: z.string(),
  secretArn: z.string(),
  /** When the secret is gone for good: `at` when forced, else after the recovery window. */
  deletionDate: z.number(),
  forceDeleteWithoutRecovery: z.boolean(),
  at: z.number(),
});
export type SecretDeleted = z.infer<typeof SecretDeleted>;
