import { sql, type Kysely } from "kysely";
import type { Database } from "../../db/index.js";
import { retentionCutoff } from "../retention.js";
import { DAY_MS, forgetLogPartitions, logPartitionStartOf } from "./ensureLogPartition.js";

export interface ExpiryResult {
  /** Whole day partitions dropped. */
  readonly dropped: readonly string[];
  /** Rows deleted one by one (groups whose retention ends inside a kept partition). */
  readonly deletedRows: number;
}

/**
 * Applies every group's retention. A day partition is dropped whole once every
 * group that may hold events in it (a stream whose first event is before the
 * partition's end) has a retention that has passed the partition's end; the
 * rest of the expired events are deleted by group (the index on stream and
 * time finds them). Call it from one process at a time (the api's leader).
 */
export const expireLogEvents = async (
  db: Kysely<Database>,
  nowMs: number,
): Promise<ExpiryResult> => {
  const parts = await sql<{ relname: string }>`
    SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
     WHERE i.inhparent = 'log_events'::regclass`.execute(db);
  const dropped: string[] = [];
  const today = Math.floor(nowMs / DAY_MS) * DAY_MS;
  for (const { relname } of parts.rows) {
    const from = logPartitionStartOf(relname);
    if (from === undefined) continue;
    const to = from + DAY_MS;
    if (to > today) continue;
    // The groups that may hold events in [from, to): keep the partition while any keeps them.
    const keepers = await sql<{ n: string }>`
      SELECT count(*) AS n FROM log_groups g
       WHERE EXISTS (SELECT 1 FROM log_streams s
                      WHERE s.log_group_name = g.log_group_name AND s.first_event_time < ${to}::bigint)
         AND (g.retention_days IS NULL
              OR ${nowMs}::bigint - g.retention_days::bigint * ${DAY_MS}::bigint < ${to}::bigint)`.execute(
      db,
    );
    if (Number(keepers.rows[0]?.n ?? 1) > 0) continue;
    await sql.raw(`DROP TABLE IF EXISTS ${relname}`).execute(db);
    dropped.push(relname);
  }
  if (dropped.length > 0) forgetLogPartitions(db);
  const groups = await sql<{ log_group_name: string; retention_days: number }>`
    SELECT log_group_name, retention_days FROM log_groups WHERE retention_days IS NOT NULL`.execute(
    db,
  );
  let deletedRows = 0;
  for (const g of groups.rows) {
    const cutoff = retentionCutoff(g.retention_days, nowMs)!;
    const deleted = await sql`
      DELETE FROM log_events
       WHERE stream_id IN (SELECT stream_id FROM log_streams WHERE log_group_name = ${g.log_group_name})
         AND event_time < ${cutoff}::bigint`.execute(db);
    const n = Number(deleted.numAffectedRows ?? 0);
    deletedRows += n;
    if (n > 0) {
      // Streams' first event times and sizes follow what is left.
      await sql`
        UPDATE log_streams s
           SET first_event_time = (SELECT min(e.event_time) FROM log_events e WHERE e.stream_id = s.stream_id),
               stored_bytes = coalesce((SELECT sum(octet_length(e.message)) FROM log_events e
                                         WHERE e.stream_id = s.stream_id), 0)
         WHERE s.log_group_name = ${g.log_group_name}`.execute(db);
    }
  }
  return { dropped: dropped.sort(), deletedRows };
};
