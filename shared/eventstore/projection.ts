import type { Kysely } from "kysely";
import type { Database } from "../db/index.js";
import type { RecordedEvent } from "./types.js";

/**
 * A read model updated in the same transaction as the append, so a read right
 * after a write sees it. `apply` must use only the event (never the clock or
 * other I/O) so that a rebuild from the log produces exactly the live rows.
 */
export interface InlineProjection {
  readonly name: string;
  /** The tables this projection owns; a rebuild recreates exactly these. */
  readonly tables: readonly (keyof Database)[];
  /** Event types this projection reacts to. */
  readonly handles: readonly string[];
  apply(db: Kysely<Database>, event: RecordedEvent): Promise<void>;
}

export const applyProjections = async (
  db: Kysely<Database>,
  projections: readonly InlineProjection[],
  events: readonly RecordedEvent[],
): Promise<void> => {
  for (const event of events) {
    for (const projection of projections) {
      if (projection.handles.includes(event.type)) await projection.apply(db, event);
    }
  }
};
