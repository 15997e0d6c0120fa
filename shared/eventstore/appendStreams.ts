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

export interface StreamBatchAppend {
  readonly streamId: string;
  readonly events: readonly EventToAppend[];
  readonly expectedVersion: ExpectedVersion;
}

/** Rows of one INSERT: 9 parameters each, well under Postgres's 65,535. */
const ROWS_PER_INSERT = 4_000;

/**
 * Appends to many streams inside the caller's transaction in a handful of
 * statements, whatever their number: one locks every existing stream row (in
 * stream id order, so two such appends cannot deadlock), one creates the new
 * streams, one moves the existing ones on, and one (per 4,000 events) inserts
 * every event. appendToStream.ts does the same for one stream in one statement,
 * so appending to n streams that way costs n round trips.
 *
 * The rows written are the ones appendToStream writes: the same versions, the
 * same hash chain (docs/audit.md), recorded_at the transaction's now() to the
 * millisecond, positions in stream id order, then version order. Expected versions
 * are checked under the row locks, and a miss is a ConcurrencyError, appending
 * nothing (the caller's transaction rolls back). `any` on a stream that another
 * transaction creates at the same moment fails the same way (appendToStream waits
 * for it instead); callers retry a ConcurrencyError. Each stream appears once.
 */
export const appendStreams = async (
  trx: Kysely<Database>,
  appends: readonly StreamBatchAppend[],
  metadata: EventMetadata,
): Promise<AppendResult[]> => {
  const ordered = [...appends].sort((a, b) =>
    a.streamId < b.streamId ? -1 : a.streamId > b.streamId ? 1 : 0,
  );
  for (let i = 1; i < ordered.length; i++) {
    if (ordered[i]!.streamId === ordered[i - 1]!.streamId) {
      throw new Error(`appendStreams: stream ${ordered[i]!.streamId} appears twice`);
    }
  }
  const ids = ordered.map((a) => a.streamId);
  if (ids.length === 0) return [];
  const locked = await sql<{
    stream_id: string;
    version: string;
    last_hash: Buffer | null;
    now: Date;
  }>`SELECT stream_id, version, last_hash, date_trunc('milliseconds', now()) AS now
       FROM streams WHERE stream_id = ANY(${ids}::text[])
      ORDER BY stream_id FOR UPDATE`.execute(trx);
  const existing = new Map(locked.rows.map((r) => [r.stream_id, r]));
  const now =
    locked.rows[0]?.now ??
    (await sql<{ now: Date }>`SELECT date_trunc('milliseconds', now()) AS now`.execute(trx))
      .rows[0]!.now;

  const metadataJson = JSON.stringify(metadata);
  const results = new Map<string, AppendResult>();
  const created: { stream_id: string; version: number; last_hash: Buffer }[] = [];
  const moved: { stream_id: string; version: number; last_hash: Buffer }[] = [];
  const values: {
    event_id: string;
    stream_id: string;
    stream_version: number;
    type: string;
    schema_version: number;
    data: string;
    metadata: string;
    recorded_at: Date;
    event_hash: Buffer;
  }[] = [];
  for (const a of ordered) {
    const row = existing.get(a.streamId);
    const current = row === undefined ? 0 : Number(row.version);
    const expected = a.expectedVersion;
    const fits =
      expected === "any" ||
      ((expected === "noStream" || expected === 0) && row === undefined) ||
      (typeof expected === "number" && expected > 0 && row !== undefined && current === expected);
    if (!fits) {
      throw new ConcurrencyError(a.streamId, expected, row === undefined ? undefined : current);
    }
    if (a.events.length === 0) {
      results.set(a.streamId, { streamId: a.streamId, nextExpectedVersion: current, events: [] });
      continue;
    }
    const rows = a.events.map((event, i) => ({
      event_id: event.eventId ?? randomUUID(),
      stream_id: a.streamId,
      stream_version: current + i + 1,
      type: event.type,
      schema_version: event.schemaVersion ?? 1,
      data: JSON.stringify(event.data),
      metadata: metadataJson,
      recorded_at: now,
    }));
    const hashes = chainHashes(
      row?.last_hash ?? GENESIS_HASH,
      rows.map((v, i) => ({
        eventId: v.event_id,
        streamId: a.streamId,
        streamVersion: v.stream_version,
        type: v.type,
        schemaVersion: v.schema_version,
        data: a.events[i]!.data,
        metadata,
        recordedAt: now,
      })),
    );
    rows.forEach((v, i) => values.push({ ...v, event_hash: hashes[i]! }));
    const head = {
      stream_id: a.streamId,
      version: current + a.events.length,
      last_hash: hashes.at(-1)!,
    };
    (row === undefined ? created : moved).push(head);
  }

  if (created.length > 0) {
    const inserted = await trx
      .insertInto("streams")
      .values(created)
      .onConflict((oc) => oc.column("stream_id").doNothing())
      .returning("stream_id")
      .execute();
    if (inserted.length < created.length) {
      const got = new Set(inserted.map((r) => r.stream_id));
      const lost = created.find((c) => !got.has(c.stream_id))!;
      const a = ordered.find((o) => o.streamId === lost.stream_id)!;
      throw new ConcurrencyError(lost.stream_id, a.expectedVersion, undefined);
    }
  }
  if (moved.length > 0) {
    await sql`UPDATE streams AS s
                 SET version = v.version, last_hash = v.last_hash, updated_at = now()
                FROM (VALUES ${sql.join(
                  moved.map(
                    (m) => sql`(${m.stream_id}::text, ${m.version}::bigint, ${m.last_hash}::bytea)`,
                  ),
                )}) AS v (stream_id, version, last_hash)
               WHERE s.stream_id = v.stream_id`.execute(trx);
  }

  const recorded: RecordedEvent[] = [];
  try {
    for (let i = 0; i < values.length; i += ROWS_PER_INSERT) {
      const rows = await trx
        .insertInto("events")
        .values(values.slice(i, i + ROWS_PER_INSERT))
        .returningAll()
        .execute();
      recorded.push(...rows.map((row) => rowToEvent(row as unknown as EventRow)));
    }
  } catch (err) {
    // The unique (stream_id, stream_version) index is the last line of defence.
    if ((err as { code?: string }).code === "23505") {
      const a = ordered[0]!;
      throw new ConcurrencyError(a.streamId, a.expectedVersion, undefined);
    }
    throw err;
  }
  const byStream = new Map<string, RecordedEvent[]>();
  for (const e of recorded.sort((x, y) => x.position - y.position)) {
    const list = byStream.get(e.streamId);
    if (list) list.push(e);
    else byStream.set(e.streamId, [e]);
  }
  for (const a of ordered) {
    if (results.has(a.streamId)) continue;
    const events = byStream.get(a.streamId) ?? [];
    results.set(a.streamId, {
      streamId: a.streamId,
      nextExpectedVersion: events.at(-1)!.streamVersion,
      events,
    });
  }
  return appends.map((a) => results.get(a.streamId)!);
};
