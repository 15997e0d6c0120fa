import { randomUUID } from "node:crypto";
import { sql, type Kysely } from "kysely";
import { canonicalEventParts } from "../audit/tamper/canonicalEvent.js";
import { canonicalJson } from "../domain/canonicalJson.js";
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
 * Appends events to one stream inside the caller's transaction. Fails with a
 * ConcurrencyError, never silently, when the stream is not at `expectedVersion`.
 */
export const appendToStream = async (
  trx: Kysely<Database>,
  streamId: string,
  events: readonly EventToAppend[],
  expectedVersion: ExpectedVersion,
  metadata: EventMetadata,
  /**
   * `notify: false` leaves the NOTIFY to the caller: EventStore sends one after
   * commit (followersWakeup.ts), since a NOTIFY in the appending transaction
   * serialises the commits of every notifying transaction of the server.
   */
  options: { readonly notify?: boolean } = {},
): Promise<AppendResult> => {
  if (events.length === 0) {
    const version = (await currentVersion(trx, streamId)) ?? 0;
    return { streamId, nextExpectedVersion: version, events: [] };
  }
  // The claim, the hash chain (docs/audit.md) and the insert are one statement,
  // flotilla_append (migration 0020): the hashes are computed in Postgres under the
  // stream row's lock, over the canonical encoding built here around the recorded_at
  // and stream_version only the claim knows. Canonical JSON of a value and of its JSON
  // round trip (what jsonb gives back) are the same bytes, so the values are encoded
  // as they are (tests/integration/audit/tamper).
  const canonicalMetadata = canonicalJson(metadata);
  const eventIds = events.map((e) => e.eventId ?? randomUUID());
  const parts = events.map((e, i) =>
    canonicalEventParts(
      {
        eventId: eventIds[i]!,
        streamId,
        type: e.type,
        schemaVersion: e.schemaVersion ?? 1,
        data: e.data,
        metadata,
      },
      canonicalMetadata,
    ),
  );
  try {
    const { rows } = await sql<EventRow>`
      SELECT * FROM flotilla_append(
        ${streamId}, ${String(expectedVersion)},
        ${eventIds}::uuid[], ${events.map((e) => e.type)}::text[],
        ${events.map((e) => e.schemaVersion ?? 1)}::integer[],
        ${JSON.stringify(events.map((e) => e.data))}::jsonb, ${JSON.stringify(metadata)}::jsonb,
        ${parts.map((p) => p.head)}::text[], ${parts.map((p) => p.middle)}::text[],
        ${parts.map((p) => p.tail)}::text[])`.execute(trx);
    if (rows.length === 0) {
      throw new ConcurrencyError(streamId, expectedVersion, await currentVersion(trx, streamId));
    }
    if (options.notify !== false) {
      await sql`SELECT pg_notify(${EVENTS_NOTIFY_CHANNEL}, ${streamId})`.execute(trx);
    }
    const recorded: RecordedEvent[] = rows
      .map(rowToEvent)
      .sort((a, b) => a.streamVersion - b.streamVersion);
    return { streamId, nextExpectedVersion: recorded.at(-1)!.streamVersion, events: recorded };
  } catch (err) {
    // The unique (stream_id, stream_version) index is the last line of defence.
    if ((err as { code?: string }).code === "23505") {
      throw new ConcurrencyError(streamId, expectedVersion, await currentVersion(trx, streamId));
    }
    throw err;
  }
};
