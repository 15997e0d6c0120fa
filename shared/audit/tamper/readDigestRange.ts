import { sql, type Kysely } from "kysely";
import type { Database } from "../../db/index.js";
import type { Checkpoint } from "../../eventstore/index.js";
import { HASHED_EVENT_COLUMNS, type HashedEventRow } from "./hashedEventRow.js";

/**
 * Events after `after` in log order (transaction id, then position), up to and
 * including `last` when given, else only those below pg_snapshot_xmin: every
 * transaction there has ended, so nothing can still appear in the range
 * (see shared/eventstore/readAll.ts).
 */
export const readDigestRange = async (
  db: Kysely<Database>,
  after: Checkpoint,
  options: { last?: Checkpoint; limit: number },
): Promise<HashedEventRow[]> => {
  const last = options.last;
  const upper =
    last === undefined
      ? sql`e.transaction_id < pg_snapshot_xmin(pg_current_snapshot())`
      : sql`(e.transaction_id, e.position) <= (${last.transactionId}::xid8, ${last.position}::bigint)`;
  const result = await sql<HashedEventRow>`
    SELECT ${HASHED_EVENT_COLUMNS}
      FROM events e
     WHERE (e.transaction_id, e.position) > (${after.transactionId}::xid8, ${after.position}::bigint)
       AND ${upper}
     ORDER BY e.transaction_id, e.position
     LIMIT ${options.limit}`.execute(db);
  return result.rows;
};
