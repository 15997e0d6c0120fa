import { sql, type Kysely, type RawBuilder } from "kysely";
import type { Database } from "../db/index.js";
import { rowToEvent, type EventRow } from "../eventstore/rowToEvent.js";
import type { RecordedEvent } from "../eventstore/index.js";
import type { HistoryFilter } from "./historyFilter.js";

export interface HistoryPage {
  readonly events: readonly RecordedEvent[];
  /** The snapshot the query reads in (the first page's, carried by the cursor). */
  readonly snapshot: string;
  /** Whether more events match beyond this page. */
  readonly more: boolean;
}

/**
 * One page of the events matching a filter, in log-position order (newest or
 * oldest first), read only from the transactions visible in `snapshot` (the
 * first page takes the current one). That set of events never changes once
 * the snapshot is taken (the log is append-only and a transaction visible in
 * a snapshot has committed), so keyset paging by position over it has no
 * gaps and no repeats however appends interleave: an event that commits
 * after the first page is not in this query at all (a new query sees it), and
 * none can appear between pages below the cursor.
 */
export const queryHistory = async (
  db: Kysely<Database>,
  filter: HistoryFilter,
  page: {
    readonly snapshot?: string | undefined;
    readonly after?: number | undefined;
    readonly limit: number;
  },
): Promise<HistoryPage> => {
  const snapshot =
    page.snapshot ??
    (await sql<{ s: string }>`SELECT pg_current_snapshot()::text AS s`.execute(db)).rows[0]!.s;
  const descending = filter.scanBy === "TimestampDescending";
  const where: RawBuilder<unknown>[] = [
    sql`pg_visible_in_snapshot(e.transaction_id, ${snapshot}::pg_snapshot)`,
  ];
  if (filter.streamIds) where.push(sql`e.stream_id = ANY(${[...filter.streamIds]}::text[])`);
  if (filter.revision !== undefined) {
    where.push(
      sql`(e.data->>'revision' = ${String(filter.revision)}
           OR e.data->>'resourceArn' LIKE ${`%:task-definition/%:${filter.revision}`})`,
    );
  }
  if (filter.actor !== undefined) where.push(sql`e.metadata->>'actor' = ${filter.actor}`);
  if (filter.eventTypes) where.push(sql`e.type = ANY(${[...filter.eventTypes]}::text[])`);
  if (filter.startTime) where.push(sql`e.recorded_at >= ${filter.startTime}`);
  if (filter.endTime) where.push(sql`e.recorded_at < ${filter.endTime}`);
  if (filter.startPosition !== undefined) where.push(sql`e.position >= ${filter.startPosition}`);
  if (filter.endPosition !== undefined) where.push(sql`e.position <= ${filter.endPosition}`);
  if (page.after !== undefined) {
    where.push(descending ? sql`e.position < ${page.after}` : sql`e.position > ${page.after}`);
  }
  const { rows } = await sql<EventRow>`
    SELECT e.position, e.event_id, e.stream_id, e.stream_version, e.type, e.schema_version,
           e.data, e.metadata, e.recorded_at, e.transaction_id::text AS transaction_id
      FROM events e
     WHERE ${sql.join(where, sql` AND `)}
     ORDER BY e.position ${descending ? sql`DESC` : sql`ASC`}
     LIMIT ${page.limit + 1}`.execute(db);
  return {
    events: rows.slice(0, page.limit).map(rowToEvent),
    snapshot,
    more: rows.length > page.limit,
  };
};
