import type { Kysely } from "kysely";
import type { Database } from "../db/index.js";
import { rowToEvent, type EventRow } from "./rowToEvent.js";
import type { RecordedEvent } from "./types.js";

export interface ReadStreamResult {
  /** The stream's version (its last event's stream version), 0 if it does not exist. */
  readonly version: number;
  readonly events: readonly RecordedEvent[];
}

/** Reads one stream in version order, optionally only up to a global position (time travel). */
export const readStream = async (
  db: Kysely<Database>,
  streamId: string,
  options: { fromVersion?: number; toPosition?: number } = {},
): Promise<ReadStreamResult> => {
  let query = db
    .selectFrom("events")
    .selectAll()
    .where("stream_id", "=", streamId)
    .where("stream_version", ">=", options.fromVersion ?? 1)
    .orderBy("stream_version");
  if (options.toPosition !== undefined) query = query.where("position", "<=", options.toPosition);
  const rows = await query.execute();
  const events = rows.map((row) => rowToEvent(row as unknown as EventRow));
  return { version: events.at(-1)?.streamVersion ?? 0, events };
};
