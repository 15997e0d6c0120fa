import { sql, type Kysely } from "kysely";
import type { Database } from "../db/index.js";
import { rowToEvent, type EventRow } from "./rowToEvent.js";
import type { Checkpoint, RecordedEvent } from "./types.js";

export interface ReadAllResult {
  readonly events: readonly RecordedEvent[];
  /** Where to continue from: the last event returned, or the input checkpoint. */
  readonly checkpoint: Checkpoint;
}

/**
 * Reads the whole log forward from a checkpoint, ordered by (transaction id,
 * position). Only transactions below the oldest one still running
 * (pg_snapshot_xmin of the current snapshot) are read: every such transaction
 * has either committed or rolled back, and every transaction that starts later
 * gets a larger id, so an event that commits late is held back, never skipped.
 *
 * ORDER BY names the qualified column: the bare name would sort by the text
 * alias of the select list, putting transaction 9999 after 10000.
 */
export const readAll = async (
  db: Kysely<Database>,
  after: Checkpoint,
  limit = 1000,
): Promise<ReadAllResult> => {
  const result = await sql<EventRow>`
    SELECT position, event_id, stream_id, stream_version, type, schema_version,
           data, metadata, recorded_at, e.transaction_id::text AS transaction_id
      FROM events e
     WHERE (e.transaction_id, e.position) > (${after.transactionId}::xid8, ${after.position}::bigint)
       AND e.transaction_id < pg_snapshot_xmin(pg_current_snapshot())
     ORDER BY e.transaction_id, e.position
     LIMIT ${limit}`.execute(db);
  const events = result.rows.map(rowToEvent);
  const last = events.at(-1);
  return {
    events,
    checkpoint: last ? { transactionId: last.transactionId, position: last.position } : after,
  };
};
