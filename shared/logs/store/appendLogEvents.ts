import { sql, type Kysely } from "kysely";
import type { Database } from "../../db/index.js";
import { LOG_LIMITS } from "../limits.js";
import { logGroupNotFound, logStreamNotFound } from "../logsErrors.js";
import { ensureLogPartitions, forgetLogPartitions } from "./ensureLogPartition.js";

/** Postgres text cannot hold NUL: a container printing one still has its line stored. */
const storable = (message: string): string =>
  message.includes("\u0000") ? message.replaceAll("\u0000", "\uFFFD") : message;

export interface EventToStore {
  readonly timestamp: number;
  readonly message: string;
}

/** What the caller decides, given the group's retention and the stream's shipping cursor. */
export interface AppendDecision<R> {
  readonly events: readonly EventToStore[];
  /** The stream's new shipping cursor (ns); kept when absent or not newer. */
  readonly cursorNs?: bigint;
  readonly result: R;
}

export interface AppendTarget {
  readonly group: string;
  readonly stream: string;
  /** Create the group when missing (awslogs-create-group). */
  readonly createGroup: boolean;
  /** Create the stream when missing (the agent; PutLogEvents needs CreateLogStream first). */
  readonly createStream: boolean;
  readonly nowMs: number;
}

/**
 * Appends events to a stream in one transaction: the stream row is locked,
 * `decide` sees the group's retention and the stream's cursor (so a batch the
 * agent resends is cut at the cursor), and the stream's times, bytes and cursor
 * move with the rows. Day partitions are created first, outside the transaction.
 */
export const appendLogEvents = async <R>(
  db: Kysely<Database>,
  target: AppendTarget,
  decide: (group: { retentionDays: number | null }, cursorNs: bigint | null) => AppendDecision<R>,
  /** Event times the caller expects, so their partitions exist before the transaction. */
  expectedTimes: readonly number[] = [],
): Promise<R> => {
  // Only times an event may have (14 days back, 2 hours ahead): a request cannot make
  // Postgres create partitions for arbitrary days.
  const times = expectedTimes.filter(
    (t) => t >= target.nowMs - LOG_LIMITS.maxAgeMs && t <= target.nowMs + LOG_LIMITS.maxFutureMs,
  );
  await ensureLogPartitions(db, times);
  const run = () =>
    db.transaction().execute(async (trx) => {
      const { group, stream, nowMs } = target;
      if (target.createGroup) {
        await sql`
          INSERT INTO log_groups (log_group_name, creation_time) VALUES (${group}, ${nowMs})
          ON CONFLICT (log_group_name) DO NOTHING`.execute(trx);
      }
      const groupRow = await sql<{ retention_days: number | null }>`
        SELECT retention_days FROM log_groups WHERE log_group_name = ${group} FOR SHARE`.execute(
        trx,
      );
      if (groupRow.rows.length === 0) throw logGroupNotFound();
      if (target.createStream) {
        await sql`
          INSERT INTO log_streams (log_group_name, log_stream_name, creation_time)
          VALUES (${group}, ${stream}, ${nowMs})
          ON CONFLICT (log_group_name, log_stream_name) DO NOTHING`.execute(trx);
      }
      const streamRow = await sql<{ stream_id: string; source_cursor: string | null }>`
        SELECT stream_id, source_cursor FROM log_streams
         WHERE log_group_name = ${group} AND log_stream_name = ${stream} FOR UPDATE`.execute(trx);
      const row = streamRow.rows[0];
      if (!row) throw logStreamNotFound();
      const cursor = row.source_cursor === null ? null : BigInt(row.source_cursor);
      const decision = decide({ retentionDays: groupRow.rows[0]!.retention_days }, cursor);
      const events = decision.events;
      const newCursor =
        decision.cursorNs !== undefined && (cursor === null || decision.cursorNs > cursor)
          ? decision.cursorNs
          : cursor;
      if (events.length > 0) {
        const seqs = await sql<{ s: string }>`
          SELECT nextval('log_event_seq') AS s FROM generate_series(1, ${events.length})`.execute(
          trx,
        );
        const ordered = seqs.rows.map((r) => BigInt(r.s)).sort((a, b) => (a < b ? -1 : 1));
        let bytes = 0;
        let first = Infinity;
        let last = -Infinity;
        for (const e of events) {
          bytes += Buffer.byteLength(e.message, "utf8");
          first = Math.min(first, e.timestamp);
          last = Math.max(last, e.timestamp);
        }
        await sql`
          INSERT INTO log_events (stream_id, event_time, seq, ingestion_time, message)
          SELECT ${row.stream_id}::bigint, u.t, u.s, ${nowMs}::bigint, u.m
            FROM unnest(${events.map((e) => e.timestamp)}::bigint[],
                        ${ordered.map(String)}::bigint[],
                        ${events.map((e) => storable(e.message))}::text[]) AS u(t, s, m)`.execute(
          trx,
        );
        await sql`
          UPDATE log_streams
             SET first_event_time = least(coalesce(first_event_time, ${first}::bigint), ${first}::bigint),
                 last_event_time = greatest(coalesce(last_event_time, ${last}::bigint), ${last}::bigint),
                 last_ingestion_time = ${nowMs}::bigint,
                 stored_bytes = stored_bytes + ${bytes}::bigint,
                 source_cursor = ${newCursor === null ? null : newCursor.toString()}::numeric
           WHERE stream_id = ${row.stream_id}::bigint`.execute(trx);
      } else if (newCursor !== cursor) {
        await sql`
          UPDATE log_streams SET source_cursor = ${newCursor!.toString()}::numeric
           WHERE stream_id = ${row.stream_id}::bigint`.execute(trx);
      }
      return decision.result;
    });
  try {
    return await run();
  } catch (err) {
    // A partition dropped under us (the retention loop) or created by another process
    // this one did not know about: forget, create, and try once more.
    if (!/no partition of relation/i.test(String((err as Error).message))) throw err;
    forgetLogPartitions(db);
    await ensureLogPartitions(db, times);
    return run();
  }
};
