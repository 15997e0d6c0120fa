import { sql, type Kysely } from "kysely";
import type { Database } from "../../../../shared/db/index.js";
import { START_OF_LOG, type Checkpoint } from "../../../../shared/eventstore/index.js";

/**
 * Where a new follower of the log starts: the last event of the transactions
 * already finished (below `pg_snapshot_xmin`), so an event still being
 * committed by an older transaction is read when it lands, not skipped.
 */
export const headOfLog = async (db: Kysely<Database>): Promise<Checkpoint> => {
  const result = await sql<{ transaction_id: string; position: string | number }>`
    SELECT e.transaction_id::text AS transaction_id, e.position
      FROM events e
     WHERE e.transaction_id < pg_snapshot_xmin(pg_current_snapshot())
     ORDER BY e.transaction_id DESC, e.position DESC
     LIMIT 1`.execute(db);
  const row = result.rows[0];
  return row ? { transactionId: row.transaction_id, position: Number(row.position) } : START_OF_LOG;
};
