import type { Kysely } from "kysely";
import type { Database } from "../db/index.js";
import type { ReadStreamResult } from "./readStream.js";
import { rowToEvent } from "./rowToEvent.js";
import type { RecordedEvent } from "./types.js";

/**
 * Reads several whole streams in one statement, each in version order (readStream.ts
 * for many): a stream without events reads as version 0 and no events.
 */
export const readStreams = async (
  db: Kysely<Database>,
  streamIds: readonly string[],
): Promise<Map<string, ReadStreamResult>> => {
  const ids = [...new Set(streamIds)];
  const byStream = new Map<string, RecordedEvent[]>(ids.map((id) => [id, []]));
  if (ids.length > 0) {
    const rows = await db
      .selectFrom("events")
      .selectAll()
      .where("stream_id", "in", ids)
      .orderBy("stream_id")
      .orderBy("stream_version")
      .execute();
    for (const row of rows) {
      const event = rowToEvent(row);
      byStream.get(event.streamId)!.push(event);
    }
  }
  return new Map(
    [...byStream].map(([id, events]) => [
      id,
      { version: events.at(-1)?.streamVersion ?? 0, events },
    ]),
  );
};
