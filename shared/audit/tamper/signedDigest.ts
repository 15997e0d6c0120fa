import type { Selectable } from "kysely";
import type { AuditDigestsTable } from "../../db/index.js";
import { DIGEST_FORMAT, type DigestBody } from "./digestBody.js";

/** A digest as stored or exported: the signed body, its signature, its entries text. */
export interface SignedDigest {
  readonly body: DigestBody;
  /** Ed25519 signature, base64, over canonicalDigestBody(body). */
  readonly signature: string;
  /** The encoded entries (encodeEntries); events_hash is SHA-256 over exactly this text. */
  readonly entries: string;
}

export const digestFromRow = (row: Selectable<AuditDigestsTable>): SignedDigest => ({
  body: {
    format: DIGEST_FORMAT,
    sequence: Number(row.sequence),
    after_transaction_id: String(row.after_transaction_id),
    after_position: Number(row.after_position),
    last_transaction_id: String(row.last_transaction_id),
    last_position: Number(row.last_position),
    event_count: Number(row.event_count),
    events_hash: row.events_hash,
    previous_digest_hash: row.previous_digest_hash,
    created_at: row.created_at,
    key_id: row.key_id,
  },
  signature: row.signature,
  entries: row.entries,
});

export const digestToRow = (d: SignedDigest, digestHash: string): AuditDigestsRow => {
  const { format: _format, ...columns } = d.body;
  return { ...columns, digest_hash: digestHash, signature: d.signature, entries: d.entries };
};

export type AuditDigestsRow = Selectable<AuditDigestsTable>;
