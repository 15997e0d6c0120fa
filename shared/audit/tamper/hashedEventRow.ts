import { sql, type RawBuilder } from "kysely";
import type { HashedEventFields } from "./canonicalEvent.js";
import { chainHash, GENESIS_HASH } from "./chainHash.js";
import type { DigestEntry } from "./digestEntries.js";

/** An event row as tamper checks read it. */
export interface HashedEventRow {
  position: number | string;
  event_id: string;
  stream_id: string;
  stream_version: number | string;
  type: string;
  schema_version: number;
  data: unknown;
  metadata: unknown;
  recorded_at: Date;
  transaction_id: string;
  event_hash: Buffer | null;
}

/** The select list for HashedEventRow, on `events e`. */
export const HASHED_EVENT_COLUMNS: RawBuilder<unknown> = sql`e.position, e.event_id, e.stream_id,
  e.stream_version, e.type, e.schema_version, e.data, e.metadata, e.recorded_at,
  e.transaction_id::text AS transaction_id, e.event_hash`;

export const hashedFields = (row: HashedEventRow): HashedEventFields => ({
  eventId: row.event_id,
  streamId: row.stream_id,
  streamVersion: Number(row.stream_version),
  type: row.type,
  schemaVersion: row.schema_version,
  data: row.data,
  metadata: row.metadata,
  recordedAt: row.recorded_at,
});

/**
 * The row as a digest lists it: its stored chain hash, or for a row written
 * before the chains (no hash) the hash of its encoding chained to zeros.
 */
export const digestEntryOf = (row: HashedEventRow): DigestEntry => ({
  position: Number(row.position),
  streamId: row.stream_id,
  streamVersion: Number(row.stream_version),
  hash: (row.event_hash ?? chainHash(GENESIS_HASH, hashedFields(row))).toString("hex"),
});
