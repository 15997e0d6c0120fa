import { sql, type Kysely, type RawBuilder } from "kysely";
import type { Database } from "../../db/index.js";
import type { EventPosition } from "../eventPosition.js";
import type { TermFilter } from "../filterPattern.js";
import { toStoredEvent, type RawEvent, type StoredLogEvent } from "./readStreamEvents.js";

export interface GroupEventsQuery {
  readonly group: string;
  readonly streamNames?: readonly string[];
  readonly streamPrefix?: string;
  readonly startTime?: number;
  readonly endTime?: number;
  readonly after?: EventPosition;
  readonly filter: TermFilter;
  readonly limit: number;
}

const contains = (term: string): RawBuilder<unknown> => sql`strpos(e.message, ${term}) > 0`;

/**
 * The events of a group's streams in [startTime, endTime) that pass the term
 * filter, interleaved by (time, sequence), after a position, with their stream's name.
 */
export const filterGroupEvents = async (
  db: Kysely<Database>,
  q: GroupEventsQuery,
): Promise<(StoredLogEvent & { streamName: string })[]> => {
  const conditions: RawBuilder<unknown>[] = [
    ...q.filter.all.map(contains),
    ...(q.filter.any.length > 0 ? [sql`(${sql.join(q.filter.any.map(contains), sql` OR `)})`] : []),
    ...q.filter.none.map((t) => sql`NOT ${contains(t)}`),
  ];
  if (q.streamNames) conditions.push(sql`s.log_stream_name = ANY(${[...q.streamNames]}::text[])`);
  if (q.streamPrefix !== undefined)
    conditions.push(sql`starts_with(s.log_stream_name, ${q.streamPrefix})`);
  if (q.endTime !== undefined) conditions.push(sql`e.event_time < ${q.endTime}::bigint`);
  if (q.after)
    conditions.push(sql`(e.event_time, e.seq) > (${q.after.time}::bigint, ${q.after.seq}::bigint)`);
  const rows = await sql<RawEvent & { log_stream_name: string }>`
    SELECT e.stream_id, e.event_time, e.seq, e.ingestion_time, e.message, s.log_stream_name
      FROM log_events e JOIN log_streams s ON s.stream_id = e.stream_id
     WHERE s.log_group_name = ${q.group}
       AND e.event_time >= ${q.startTime ?? 0}::bigint
       ${conditions.length > 0 ? sql`AND ${sql.join(conditions, sql` AND `)}` : sql``}
     ORDER BY e.event_time, e.seq
     LIMIT ${q.limit}`.execute(db);
  return rows.rows.map((r) => ({ ...toStoredEvent(r), streamName: r.log_stream_name }));
};
