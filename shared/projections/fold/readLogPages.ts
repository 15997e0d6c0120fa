import { sql, type Kysely } from "kysely";
import type { Database } from "../../db/index.js";
import type { EventMetadata, RecordedEvent } from "../../eventstore/index.js";

/**
 * One event as a page carries it: position, stream version, type, schema
 * version, data, event id, stream id, recorded at (epoch ms), transaction id,
 * metadata (JSON text, parsed when asked for).
 */
type PageEntry = [
  number,
  number,
  string,
  number,
  Record<string, unknown>,
  string,
  string,
  number,
  string,
  string,
];

const toEvent = (e: PageEntry): RecordedEvent => {
  const metadataText = e[9];
  return {
    position: e[0],
    streamVersion: e[1],
    type: e[2],
    schemaVersion: e[3],
    data: e[4],
    eventId: e[5],
    streamId: e[6],
    recordedAt: new Date(e[7]),
    transactionId: e[8],
    // No fold reads the metadata: it is parsed only if an upcaster asks.
    get metadata(): EventMetadata {
      return JSON.parse(metadataText) as EventMetadata;
    },
  };
};

/**
 * Reads the log in position order, up to `toPosition`, in pages of
 * `pageSize` positions, each page one JSON document built by Postgres (one
 * value to parse instead of ten per row), the next page requested while the
 * caller works on the one before. Reads in the caller's transaction, so a
 * REPEATABLE READ caller sees one snapshot throughout.
 */
export async function* readLogPages(
  trx: Kysely<Database>,
  pageSize: number,
  toPosition?: number,
): AsyncGenerator<readonly RecordedEvent[]> {
  const { rows } = await sql<{ last: number | null }>`
    SELECT max(position) AS last FROM events`.execute(trx);
  const last = Math.min(rows[0]?.last ?? 0, toPosition ?? Number.MAX_SAFE_INTEGER);
  const page = (after: number) =>
    sql<{ page: PageEntry[] | null }>`
      SELECT json_agg(json_build_array(
               position, stream_version, type, schema_version, data, event_id, stream_id,
               floor(extract(epoch FROM recorded_at) * 1000), transaction_id::text, metadata::text)
             ORDER BY position) AS page
        FROM events
       WHERE position > ${after} AND position <= ${Math.min(after + pageSize, last)}`.execute(trx);
  let next = last > 0 ? page(0) : undefined;
  for (let after = 0; next !== undefined; after += pageSize) {
    const { rows } = await next;
    next = after + pageSize < last ? page(after + pageSize) : undefined;
    const entries = rows[0]?.page ?? [];
    yield entries.map(toEvent);
  }
}
