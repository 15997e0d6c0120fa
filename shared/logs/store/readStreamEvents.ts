import { sql, type Kysely } from "kysely";
import type { Database } from "../../db/index.js";
import type { EventPosition } from "../eventPosition.js";

export interface StoredLogEvent {
  readonly streamId: number;
  readonly timestamp: number;
  readonly seq: number;
  readonly ingestionTime: number;
  readonly message: string;
}

export interface StreamEventsQuery {
  readonly streamId: number;
  readonly startTime?: number;
  readonly endTime?: number;
  /** Forward: events after this position, oldest first. Backward: before it, newest first. */
  readonly direction: "forward" | "backward";
  readonly from?: EventPosition;
  readonly limit: number;
}

export interface RawEvent {
  stream_id: string;
  event_time: string;
  seq: string;
  ingestion_time: string;
  message: string;
}

export const toStoredEvent = (r: RawEvent): StoredLogEvent => ({
  streamId: Number(r.stream_id),
  timestamp: Number(r.event_time),
  seq: Number(r.seq),
  ingestionTime: Number(r.ingestion_time),
  message: r.message,
});

/**
 * One stream's events in [startTime, endTime), a page after (or before) a
 * position; always returned oldest first.
 */
export const readStreamEvents = async (
  db: Kysely<Database>,
  q: StreamEventsQuery,
): Promise<StoredLogEvent[]> => {
  const forward = q.direction === "forward";
  const bound = q.from
    ? forward
      ? sql`AND (event_time, seq) > (${q.from.time}::bigint, ${q.from.seq}::bigint)`
      : sql`AND (event_time, seq) < (${q.from.time}::bigint, ${q.from.seq}::bigint)`
    : sql``;
  const rows = await sql<RawEvent>`
    SELECT stream_id, event_time, seq, ingestion_time, message FROM log_events
     WHERE stream_id = ${q.streamId}::bigint
       AND event_time >= ${q.startTime ?? 0}::bigint
       ${q.endTime === undefined ? sql`` : sql`AND event_time < ${q.endTime}::bigint`}
       ${bound}
     ORDER BY event_time ${forward ? sql`ASC` : sql`DESC`}, seq ${forward ? sql`ASC` : sql`DESC`}
     LIMIT ${q.limit}`.execute(db);
  const events = rows.rows.map(toStoredEvent);
  return forward ? events : events.reverse();
};
