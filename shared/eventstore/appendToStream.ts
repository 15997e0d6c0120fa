import { randomUUID } from "node:crypto";
import { sql, type Kysely } from "kysely";
import { chainHashes, GENESIS_HASH } from "../audit/tamper/chainHash.js";
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

interface Claimed {
  readonly version: number;
  /** The stream's last event hash before this append; null for a new or pre-chain stream. */
  readonly last_hash: Buffer | null;
  /** The transaction's now(), to the millisecond: stored as recorded_at and hashed as such. */
  readonly now: Date;
}

/** Returned by every claim: what the hash chain needs, read under the row lock. */
const CLAIM_RETURNING = [
  "version",
  "last_hash",
  sql<Date>`date_trunc('milliseconds', now())`.as("now"),
] as const;

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
): Promise<Claimed> => {
  let claimed: Claimed | undefined;
  if (expected === "noStream" || expected === 0) {
    claimed = await db
      .insertInto("streams")
      .values({ stream_id: streamId, version: count })
      .onConflict((oc) => oc.column("stream_id").doNothing())
      .returning(CLAIM_RETURNING)
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
      .returning(CLAIM_RETURNING)
      .executeTakeFirst();
  } else {
    claimed = await db
      .updateTable("streams")
      .set({ version: sql<number>`version + ${count}`, updated_at: sql<Date>`now()` })
      .where("stream_id", "=", streamId)
      .where("version", "=", expected)
      .returning(CLAIM_RETURNING)
      .executeTakeFirst();
  }
  if (claimed === undefined) {
    throw new ConcurrencyError(streamId, expected, await currentVersion(db, streamId));
  }
  return { ...claimed, version: Number(claimed.version) };
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
  const claimed = await claimVersions(trx, streamId, events.length, expectedVersion);
  const lastVersion = claimed.version;
  const firstVersion = lastVersion - events.length + 1;
  // The hash chain (docs/audit.md): computed over exactly what the row will hold,
  // data and metadata as jsonb gives them back, under the stream's row lock.
  const metadataJson = JSON.stringify(metadata);
  const values = events.map((event, i) => ({
    event_id: event.eventId ?? randomUUID(),
    stream_id: streamId,
    stream_version: firstVersion + i,
    type: event.type,
    schema_version: event.schemaVersion ?? 1,
    data: JSON.stringify(event.data),
    metadata: metadataJson,
    recorded_at: claimed.now,
  }));
  // Canonical JSON of a value and of its JSON round trip (what jsonb gives back) are the
  // same bytes, so the values are hashed as they are (tests/integration/audit/tamper).
  const hashes = chainHashes(
    claimed.last_hash ?? GENESIS_HASH,
    values.map((v, i) => ({
      eventId: v.event_id,
      streamId,
      streamVersion: v.stream_version,
      type: v.type,
      schemaVersion: v.schema_version,
      data: events[i]!.data,
      metadata,
      recordedAt: claimed.now,
    })),
  );
  try {
    const rows = await trx
      .with("chain", (db) =>
        db
          .updateTable("streams")
          .set({ last_hash: hashes.at(-1)! })
          .where("stream_id", "=", streamId)
          .returning("stream_id"),
      )
      .insertInto("events")
      .values(values.map((v, i) => ({ ...v, event_hash: hashes[i]! })))
      .returningAll()
      .execute();
    if (options.notify !== false) {
      await sql`SELECT pg_notify(${EVENTS_NOTIFY_CHANNEL}, ${streamId})`.execute(trx);
    }
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
