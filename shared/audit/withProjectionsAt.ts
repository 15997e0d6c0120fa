import { sql, type Kysely, type Transaction } from "kysely";
import type { Database } from "../db/index.js";
import type { InlineProjection, Upcaster } from "../eventstore/index.js";
import { rowToEvent, type EventRow } from "../eventstore/rowToEvent.js";

const IDENT = /^[a-z_][a-z0-9_]*$/;

/**
 * Runs `read` against the read models as they were at log position
 * `position`: in one REPEATABLE READ transaction, every projection table is
 * shadowed by an empty temporary table of the same definition (temporary
 * tables come first in the search path, so the api's own read queries,
 * unchanged, read them), the log up to `position` is folded into them by the
 * same inline projections that keep the live tables, `read` runs, and the
 * transaction is rolled back: nothing remains and nothing live is touched.
 *
 * The fold is of the whole log prefix, so whatever a Describe output derives
 * from other streams (a service's task counts, a cluster's counts) is as it
 * was too. Its cost is that of the prefix.
 */
export const withProjectionsAt = async <T>(
  db: Kysely<Database>,
  options: {
    readonly position: number;
    readonly projections: readonly InlineProjection[];
    readonly upcast?: Upcaster;
    readonly batchSize?: number;
  },
  read: (trx: Transaction<Database>) => Promise<T>,
): Promise<T> => {
  const tables = [...new Set(options.projections.flatMap((p) => p.tables))];
  for (const t of tables) if (!IDENT.test(t)) throw new Error(`bad identifier ${t}`);
  const upcast = options.upcast ?? ((e) => e);
  const batchSize = options.batchSize ?? 2000;
  let result: { value: T } | undefined;
  await db
    .transaction()
    .setIsolationLevel("repeatable read")
    .execute(async (trx) => {
      for (const table of tables) {
        await sql`CREATE TEMPORARY TABLE ${sql.id(table)} (LIKE ${sql.id("public", table)} INCLUDING ALL) ON COMMIT DROP`.execute(
          trx,
        );
      }
      let after = 0;
      for (;;) {
        const { rows } = await sql<EventRow>`
          SELECT position, event_id, stream_id, stream_version, type, schema_version,
                 data, metadata, recorded_at, transaction_id::text AS transaction_id
            FROM events
           WHERE position > ${after} AND position <= ${options.position}
           ORDER BY position
           LIMIT ${batchSize}`.execute(trx);
        if (rows.length === 0) break;
        for (const row of rows) {
          const event = upcast(rowToEvent(row));
          for (const projection of options.projections) {
            if (projection.handles.includes(event.type)) await projection.apply(trx, event);
          }
          after = event.position;
        }
      }
      result = { value: await read(trx) };
      throw ROLLBACK;
    })
    .catch((err: unknown) => {
      if (err !== ROLLBACK) throw err;
    });
  return result!.value;
};

class Rollback extends Error {}
const ROLLBACK = new Rollback("rollback");
