import { sql, type Kysely } from "kysely";
import type { Database } from "../db/index.js";

/**
 * The log position "as of" a time: the largest position of an event recorded
 * at or before it (0 when none was). `recorded_at` is the writing
 * transaction's start, and positions are taken at insert, so neither order is
 * exactly commit order; a position prefix is what the projections fold
 * consistently (each stream's events are in position order), so a time maps
 * to one. An event inserted earlier than that one but recorded after `at`
 * (a transaction that started later and inserted sooner) is inside the
 * prefix; see docs/audit.md.
 */
export const positionAtTime = async (db: Kysely<Database>, at: Date): Promise<number> => {
  const { rows } = await sql<{ p: string | null }>`
    SELECT max(position)::text AS p FROM events WHERE recorded_at <= ${at}`.execute(db);
  return Number(rows[0]?.p ?? 0);
};
