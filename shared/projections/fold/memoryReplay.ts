import type { Kysely } from "kysely";
import type { Database } from "../../db/index.js";
import type { InlineProjection, Upcaster } from "../../eventstore/index.js";
import { writeFoldedTables } from "./bulkWrite.js";
import { readLogPages } from "./readLogPages.js";
import {
  emptyFoldState,
  type FoldState,
  type FoldTable,
  type ProjectionFold,
} from "./foldState.js";

export interface MemoryReplayOptions {
  /** Each projection with its fold, in the order their `apply` runs live. */
  readonly projections: readonly (readonly [InlineProjection, ProjectionFold])[];
  readonly upcast: Upcaster;
  readonly toPosition?: number | undefined;
  /** Positions per page read from the log. */
  readonly pageSize?: number;
}

export interface MemoryReplayResult {
  readonly events: number;
  readonly rows: number;
  /** Reading and folding the log. */
  readonly foldMs: number;
  /** Writing the folded tables. */
  readonly writeMs: number;
}

/**
 * Folds every event of the log (up to `toPosition`) into memory, projection
 * by projection in the live order, then writes the folded tables into
 * `schema`. Runs on `trx`, the rebuild's REPEATABLE READ transaction, so the
 * log is read from its snapshot.
 */
export const replayInMemory = async (
  trx: Kysely<Database>,
  schema: string,
  options: MemoryReplayOptions,
): Promise<MemoryReplayResult> => {
  const pageSize = options.pageSize ?? 2_000;
  const tables: FoldTable[] = [];
  for (const [projection, fold] of options.projections) {
    if (projection.tables.join() !== fold.tables.join()) {
      throw new Error(
        `the fold of ${projection.name} writes ${fold.tables.join()}, not its tables`,
      );
    }
    for (const t of fold.tables) if (!tables.includes(t)) tables.push(t);
  }
  const folds = new Map<string, ProjectionFold[]>();
  for (const [projection, fold] of options.projections) {
    for (const type of projection.handles) {
      const list = folds.get(type) ?? [];
      list.push(fold);
      folds.set(type, list);
    }
  }
  const started = performance.now();
  const state: FoldState = emptyFoldState();
  let events = 0;
  for await (const page of readLogPages(trx, pageSize, options.toPosition)) {
    for (const recorded of page) {
      // Every event is upcast (as the SQL replay does: an event without its upcaster fails).
      const event = options.upcast(recorded);
      events++;
      const list = folds.get(event.type);
      if (list !== undefined) for (const fold of list) fold.fold(state, event);
    }
  }
  const folded = performance.now();
  const rows = await writeFoldedTables(trx, schema, tables, state);
  return { events, rows, foldMs: folded - started, writeMs: performance.now() - folded };
};
