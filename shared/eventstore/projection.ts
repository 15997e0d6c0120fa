import type { Kysely } from "kysely";
import type { Database } from "../db/index.js";
import type { RecordedEvent } from "./types.js";

/**
 * A read model updated in the same transaction as the append, so a read right
 * after a write sees it. `apply` must use only the event (never the clock or
 * other I/O) so that a rebuild from the log produces exactly the live rows, and
 * may read only the tables it writes.
 */
export interface InlineProjection {
  readonly name: string;
  /** The tables this projection owns; a rebuild recreates exactly these. */
  readonly tables: readonly (keyof Database)[];
  /** Event types this projection reacts to. */
  readonly handles: readonly string[];
  apply(db: Kysely<Database>, event: RecordedEvent): Promise<void>;
  /**
   * Optional, by event type: applies a run of consecutive events of that type in a
   * few statements, with the same effect as `apply` on each in turn (a service
   * step records hundreds of TaskPlaced, then hundreds of TaskCreated).
   */
  readonly applyRun?: Readonly<
    Partial<Record<string, (db: Kysely<Database>, run: readonly RecordedEvent[]) => Promise<void>>>
  >;
}

export const applyProjections = async (
  db: Kysely<Database>,
  projections: readonly InlineProjection[],
  events: readonly RecordedEvent[],
): Promise<void> => {
  // Runs of consecutive events of one type: each projection takes the whole run before
  // the next projection does, which is the same as event by event since no projection
  // reads another's tables.
  for (let start = 0; start < events.length;) {
    const type = events[start]!.type;
    let end = start + 1;
    while (end < events.length && events[end]!.type === type) end++;
    const run = events.slice(start, end);
    for (const projection of projections) {
      if (!projection.handles.includes(type)) continue;
      const applyRun = run.length > 1 ? projection.applyRun?.[type] : undefined;
      if (applyRun) await applyRun(db, run);
      else for (const event of run) await projection.apply(db, event);
    }
    start = end;
  }
};
