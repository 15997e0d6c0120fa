import type { Kysely } from "kysely";
import type { Database } from "../db/index.js";
import { upcastEvent } from "../events/index.js";
import { ALL_PROJECTIONS, rebuildProjections } from "../projections/index.js";
import { positionAtTime } from "./positionAtTime.js";

export interface RebuildAtResult {
  readonly schema: string;
  /** The log position rebuilt up to (inclusive). */
  readonly position: number;
  readonly events: number;
  readonly tables: readonly string[];
}

/**
 * Rebuilds every projection as of a log position, or as of a time (the last
 * position recorded at or before it, see positionAtTime), into a schema of
 * its own that is kept; the live tables are only read from.
 */
export const rebuildAt = async (
  db: Kysely<Database>,
  to: { readonly position: number } | { readonly time: Date },
  schema?: string,
): Promise<RebuildAtResult> => {
  const position = "position" in to ? to.position : await positionAtTime(db, to.time);
  const report = await rebuildProjections(db, {
    projections: ALL_PROJECTIONS,
    upcast: upcastEvent,
    keep: true,
    toPosition: position,
    ...(schema === undefined ? {} : { schema }),
  });
  return { schema: report.schema, position, events: report.events, tables: report.tables };
};
