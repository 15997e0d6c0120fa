import { createHash } from "node:crypto";
import { z } from "zod";
import { canonicalJson } from "../../domain/canonicalJson.js";

export const DIGEST_FORMAT = "flotilla-digest-1";

/** What the previous digest hash of the first digest is: 64 zeros. */
export const FIRST_PREVIOUS_DIGEST_HASH = "0".repeat(64);

const hex64 = z.string().regex(/^[0-9a-f]{64}$/, "64 lowercase hex digits");
const xid = z.string().regex(/^\d+$/, "a decimal transaction id");

/**
 * The signed part of a digest. It covers the events after (after_transaction_id,
 * after_position) up to and including (last_transaction_id, last_position) in
 * log order (transaction id, then position).
 */
export const DigestBody = z.object({
  format: z.literal(DIGEST_FORMAT),
  sequence: z.number().int().positive(),
  after_transaction_id: xid,
  after_position: z.number().int().nonnegative(),
  last_transaction_id: xid,
  last_position: z.number().int().nonnegative(),
  event_count: z.number().int().nonnegative(),
  events_hash: hex64,
  previous_digest_hash: hex64,
  created_at: z.string(),
  key_id: hex64,
});
export type DigestBody = z.infer<typeof DigestBody>;

/** The bytes that are signed and hashed: the body as canonical JSON, UTF-8. */
export const canonicalDigestBody = (body: DigestBody): string => canonicalJson(body);

/** SHA-256 (hex) of the canonical body; the next digest carries it as previous_digest_hash. */
export const digestHash = (body: DigestBody): string =>
  createHash("sha256").update(canonicalDigestBody(body), "utf8").digest("hex");
