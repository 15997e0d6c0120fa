import { sql, type Kysely } from "kysely";
import type { Database } from "../../db/index.js";

export interface LogStreamRow {
  readonly streamId: number;
  readonly name: string;
  readonly creationTime: number;
  readonly firstEventTime: number | null;
  readonly lastEventTime: number | null;
  readonly lastIngestionTime: number | null;
  readonly storedBytes: number;
}

export interface LogStreamQuery {
  readonly group: string;
  readonly namePrefix?: string;
  readonly orderBy: "LogStreamName" | "LastEventTime";
  readonly descending: boolean;
  /** Paging: the sort key and name of the last stream of the previous page. */
  readonly after?: { readonly key: string | number; readonly name: string };
  readonly limit: number;
}

interface Raw {
  stream_id: string;
  log_stream_name: string;
  creation_time: string;
  first_event_time: string | null;
  last_event_time: string | null;
  last_ingestion_time: string | null;
  stored_bytes: string;
}

const num = (v: string | null): number | null => (v === null ? null : Number(v));

export const toLogStreamRow = (r: Raw): LogStreamRow => ({
  streamId: Number(r.stream_id),
  name: r.log_stream_name,
  creationTime: Number(r.creation_time),
  firstEventTime: num(r.first_event_time),
  lastEventTime: num(r.last_event_time),
  lastIngestionTime: num(r.last_ingestion_time),
  storedBytes: Number(r.stored_bytes),
});

/**
 * A group's streams, by name or by last event time (streams without events
 * count as time 0), ascending or descending, ties broken by name.
 */
export const describeLogStreams = async (
  db: Kysely<Database>,
  q: LogStreamQuery,
): Promise<LogStreamRow[]> => {
  const byTime = q.orderBy === "LastEventTime";
  const key = byTime ? sql`coalesce(last_event_time, 0)` : sql`log_stream_name COLLATE "C"`;
  const name = sql`log_stream_name COLLATE "C"`;
  const dir = q.descending ? sql`DESC` : sql`ASC`;
  const cmp = q.descending ? sql`<` : sql`>`;
  const after = q.after
    ? byTime
      ? sql`AND (coalesce(last_event_time, 0), ${name}) ${cmp} (${Number(q.after.key)}::bigint, ${q.after.name})`
      : sql`AND ${name} ${cmp} ${q.after.name}`
    : sql``;
  const prefix =
    q.namePrefix === undefined ? sql`` : sql`AND starts_with(log_stream_name, ${q.namePrefix})`;
  const rows = await sql<Raw>`
    SELECT stream_id, log_stream_name, creation_time, first_event_time, last_event_time,
           last_ingestion_time, stored_bytes
      FROM log_streams
     WHERE log_group_name = ${q.group} ${prefix} ${after}
     ORDER BY ${key} ${dir}${byTime ? sql`, ${name} ${dir}` : sql``}
     LIMIT ${q.limit}`.execute(db);
  return rows.rows.map(toLogStreamRow);
};

/** One stream, or undefined. */
export const findLogStream = async (
  db: Kysely<Database>,
  group: string,
  stream: string,
): Promise<LogStreamRow | undefined> => {
  const rows = await sql<Raw>`
    SELECT stream_id, log_stream_name, creation_time, first_event_time, last_event_time,
           last_ingestion_time, stored_bytes
      FROM log_streams WHERE log_group_name = ${group} AND log_stream_name = ${stream}`.execute(db);
  return rows.rows[0] ? toLogStreamRow(rows.rows[0]) : undefined;
};
