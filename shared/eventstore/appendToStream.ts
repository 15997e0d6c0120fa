import { randomUUID } from "node:crypto";
import { sql, type Kysely } from "kysely";
import type { Database } from "../db/index.js";
import { ConcurrencyError } from "./errors.js";
import { rowToEvent, type EventRow } from "./rowToEvent.js";
import type {
  AppendResult,
  EventMetadata,
  EventToAppend,
  ExpectedVersion,
  RecordedEvent,
} from "./types.js";

/** Channel used to wake log followers; a hint only, never the transport. */
export const EVENTS_NOTIFY_CHANNEL = "flotilla_events";

const currentVersion = async (db: Kysely<Database>, streamId: string) => {
  const row = await db
    .selectFrom("streams")
    .select("version")
    .where("stream_id", "=", streamId)
    .executeTakeFirst();
  return row === undefined ? undefined : Number(row.version);
};

/**
 * Claims `count` versions on the stream's row. The row lock taken here
 * serialises writers of one stream until the transaction ends; a writer that
 * expected a version that is no longer current finds no row to update.
 */
const claimVersions = async (
  db: Kysely<Database>,
  streamId: string,
  count: number,
  expected: ExpectedVersion,
): Promise<number> => {
  let claimed: { version: number } | undefined;
  if (expected === "noStream" || expected === 0) {
    claimed = await db
      .insertInto("streams")
      .values({ stream_id: streamId, version: count })
      .onConflict((oc) => oc.column("stream_id").doNothing())
      .returning("version")
      .executeTakeFirst();
  } else if (expected === "any") {
    claimed = await db
      .insertInto("streams")
      .values({ stream_id: streamId, version: count })
      .onConflict((oc) =>
        oc.column("stream_id").doUpdateSet({
          version: sql<number>`streams.version + ${count}`,
          updated_at: sql<Date>`now()`,
        }),
      )
      .returning("version")
      .executeTakeFirst();
  } else {
    claimed = await db
      .updateTable("streams")
      .set({ version: sql<number>`version + ${count}`, updated_at: sql<Date>`now()` })
      .where("stream_id", "=", streamId)
      .where("version", "=", expected)
      .returning("version")
      .executeTakeFirst();
  }
  if (claimed === undefined) {
    throw new ConcurrencyError(streamId, expected, await currentVersion(db, streamId));
  }
  return Number(claimed.version);
};

/**
 * Appends events to one stream inside the caller's transaction. Fails with a
 * ConcurrencyError, never silently, when the stream is not at `expectedVersion`.
 */
export const appendToStream = async (
  trx: Kysely<Database>,
  streamId: string,
  events: readonly EventToAppend[],
  expectedVersion: ExpectedVersion,
  metadata: EventMetadata,
): Promise<AppendResult> => {
  if (events.length === 0) {
    const version = (await currentVersion(trx, streamId)) ?? 0;
    return { streamId, nextExpectedVersion: version, events: [] };
  }
  const lastVersion = await claimVersions(trx, streamId, events.length, expectedVersion);
  const firstVersion = lastVersion - events.length + 1;
  try {
    const rows = await trx
      .insertInto("events")
      .values(
        events.map((event, i) => ({
          event_id: event.eventId ?? randomUUID(),
          stream_id: streamId,
          stream_version: firstVersion + i,
          type: event.type,
          schema_version: event.schemaVersion ?? 1,
          data: JSON.stringify(event.data),
          metadata: JSON.stringify(metadata),
        })),
      )
      .returningAll()
      .execute();
    await sql`SELECT pg_notify(${EVENTS_NOTIFY_CHANNEL}, ${streamId})`.execute(trx);
    const recorded: RecordedEvent[] = rows
      .map((row) => rowToEvent(row as unknown as EventRow))
      .sort((a, b) => a.streamVersion - b.streamVersion);
    return { streamId, nextExpectedVersion: lastVersion, events: recorded };
  } catch (err) {
    // The unique (stream_id, stream_version) index is the last line of defence.
    if ((err as { code?: string }).code === "23505") {
      throw new ConcurrencyError(streamId, expectedVersion, await currentVersion(trx, streamId));
    }
    throw err;
  }
};
