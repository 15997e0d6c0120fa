import { sql, type Kysely } from "kysely";
import type { Database } from "../db/index.js";
import type { InlineProjection, Upcaster } from "../eventstore/index.js";
import { rowToEvent, type EventRow } from "../eventstore/rowToEvent.js";
import { foldOf, replayInMemory, type ProjectionFold } from "./fold/index.js";

export interface TableDifference {
  readonly table: string;
  /** Rows in the live table that the rebuild did not produce. */
  readonly onlyLive: readonly unknown[];
  /** Rows the rebuild produced that the live table lacks. */
  readonly onlyRebuilt: readonly unknown[];
}

export interface RebuildReport {
  readonly schema: string;
  readonly events: number;
  readonly tables: readonly string[];
  readonly differences: readonly TableDifference[];
}

export interface RebuildOptions {
  readonly projections: readonly InlineProjection[];
  readonly upcast?: Upcaster;
  /** Rebuild only up to this global position (point-in-time; skips the comparison). */
  readonly toPosition?: number;
  /** Keep the rebuilt schema for investigation instead of rolling it back. */
  readonly keep?: boolean;
  /** The schema to rebuild into (must not exist); default `rebuild_<base36 time>`. */
  readonly schema?: string;
  /** Events read per page (a cursor FETCH in memory mode, a keyset page in sql mode). */
  readonly batchSize?: number;
  /** At most this many differing rows are returned per table and side. */
  readonly maxRowsPerTable?: number;
  /**
   * `memory` (the default when every projection has a fold, shared/projections/fold/): each
   * event folded in memory, the tables written in bulk at the end. `sql`: each event through
   * the projections' own `apply`, statement by statement, as live (about 100 times slower);
   * the reference the folds are tested against, and the way for a projection without a fold.
   */
  readonly mode?: "memory" | "sql";
}

const IDENT = /^[a-z_][a-z0-9_]*$/;

/**
 * Replays the whole log into fresh copies of the projection tables in a schema
 * of their own and compares them row by row with the live tables: by default
 * folded in memory and written in bulk (`mode`). Everything
 * runs in one REPEATABLE READ transaction, so the log and the live tables are
 * read from the same snapshot; unless `keep` is set, the transaction is rolled
 * back and nothing remains. Rebuilds touch read models only: no commands, no
 * publishes.
 */
export const rebuildProjections = async (
  db: Kysely<Database>,
  options: RebuildOptions,
): Promise<RebuildReport> => {
  const schema = options.schema ?? `rebuild_${Date.now().toString(36)}`;
  const tables = [...new Set(options.projections.flatMap((p) => p.tables))];
  for (const t of [schema, ...tables]) if (!IDENT.test(t)) throw new Error(`bad identifier ${t}`);
  const folds = options.projections.map((p) => [p, foldOf(p)] as const);
  const mode = options.mode ?? (folds.every(([, f]) => f !== undefined) ? "memory" : "sql");
  const missing = folds.filter(([, f]) => f === undefined).map(([p]) => p.name);
  if (mode === "memory" && missing.length > 0) {
    throw new Error(`no in-memory fold for ${missing.join(", ")}: rebuild with mode "sql"`);
  }
  const maxRows = options.maxRowsPerTable ?? 20;
  const upcast = options.upcast ?? ((e) => e);

  let report: RebuildReport | undefined;
  await db
    .transaction()
    .setIsolationLevel("repeatable read")
    .execute(async (trx) => {
      // JIT compiling the big page reads and bulk inserts costs more than it saves.
      await sql`SET LOCAL jit = off`.execute(trx);
      await sql`CREATE SCHEMA ${sql.id(schema)}`.execute(trx);
      for (const table of tables) {
        await sql`CREATE TABLE ${sql.id(schema, table)} (LIKE ${sql.id("public", table)} INCLUDING ALL)`.execute(
          trx,
        );
      }
      const count =
        mode === "memory"
          ? (
              await replayInMemory(trx, schema, {
                projections: folds as (readonly [InlineProjection, ProjectionFold])[],
                upcast,
                toPosition: options.toPosition,
                ...(options.batchSize === undefined ? {} : { pageSize: options.batchSize }),
              })
            ).events
          : await replayThroughSql(trx, schema, options, upcast);
      const differences: TableDifference[] = [];
      if (options.toPosition === undefined) {
        for (const table of tables) {
          const diff = async (a: string, b: string) =>
            (
              await sql<{ row: unknown }>`
                SELECT row FROM (
                  SELECT to_jsonb(x) AS row FROM ${sql.id(a, table)} x
                  EXCEPT ALL
                  SELECT to_jsonb(y) AS row FROM ${sql.id(b, table)} y
                ) d LIMIT ${maxRows}`.execute(trx)
            ).rows.map((r) => r.row);
          const onlyLive = await diff("public", schema);
          const onlyRebuilt = await diff(schema, "public");
          if (onlyLive.length > 0 || onlyRebuilt.length > 0) {
            differences.push({ table, onlyLive, onlyRebuilt });
          }
        }
      }
      report = { schema, events: count, tables, differences };
      if (!options.keep) throw ROLLBACK;
    })
    .catch((err: unknown) => {
      if (err !== ROLLBACK) throw err;
    });
  return report!;
};

/** The reference replay: every event through each projection's own SQL, one by one. */
const replayThroughSql = async (
  trx: Kysely<Database>,
  schema: string,
  options: RebuildOptions,
  upcast: Upcaster,
): Promise<number> => {
  const batchSize = options.batchSize ?? 2000;
  const target = trx.withSchema(schema);
  let after = 0;
  let count = 0;
  for (;;) {
    const { rows } = await sql<EventRow>`
      SELECT position, event_id, stream_id, stream_version, type, schema_version,
             data, metadata, recorded_at, transaction_id::text AS transaction_id
        FROM events
       WHERE position > ${after}
         AND (${options.toPosition ?? null}::bigint IS NULL OR position <= ${options.toPosition ?? null}::bigint)
       ORDER BY position
       LIMIT ${batchSize}`.execute(trx);
    if (rows.length === 0) break;
    for (const row of rows) {
      const event = upcast(rowToEvent(row));
      for (const projection of options.projections) {
        if (projection.handles.includes(event.type)) await projection.apply(target, event);
      }
      after = event.position;
      count++;
    }
  }
  return count;
};

/** Thrown to end the transaction with a rollback; never escapes rebuildProjections. */
class Rollback extends Error {}
const ROLLBACK = new Rollback("rollback");
