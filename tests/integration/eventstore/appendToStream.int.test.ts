import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chainHash, GENESIS_HASH } from "../../../shared/audit/tamper/index.js";
import {
  hashedFields,
  HASHED_EVENT_COLUMNS,
  type HashedEventRow,
} from "../../../shared/audit/tamper/hashedEventRow.js";
import {
  ConcurrencyError,
  type AppendResult,
  EventStore,
  isConcurrencyError,
  type EventMetadata,
} from "../../../shared/eventstore/index.js";
import { createTestDatabase, type TestDatabase } from "../../fixtures/database.js";

const meta: EventMetadata = { actor: "test", correlationId: "c-1", commandId: "cmd-1" };
const ev = (n: number) => ({ type: "Thing", data: { n } });

describe("appendToStream", () => {
  let tdb: TestDatabase;
  let store: EventStore;
  beforeAll(async () => {
    tdb = await createTestDatabase("es_append");
    store = new EventStore(tdb.db);
  });
  afterAll(async () => tdb.drop());

  it("appends with noStream, then with the exact version, and reads the stream back", async () => {
    const first = await store.append("s-1", [ev(1), ev(2)], "noStream", meta);
    expect(first.nextExpectedVersion).toBe(2);
    const second = await store.append("s-1", [ev(3)], 2, meta);
    expect(second.nextExpectedVersion).toBe(3);
    const read = await store.readStream("s-1");
    expect(read.version).toBe(3);
    expect(read.events.map((e) => [e.streamVersion, e.data.n])).toEqual([
      [1, 1],
      [2, 2],
      [3, 3],
    ]);
    expect(read.events[0]!.metadata).toEqual(meta);
    expect(read.events[0]!.schemaVersion).toBe(1);
    expect(read.events[0]!.transactionId).toMatch(/^\d+$/);
  });

  it("fails with a typed concurrency error on a wrong expected version, appending nothing", async () => {
    await store.append("s-2", [ev(1)], "noStream", meta);
    await expect(store.append("s-2", [ev(2)], "noStream", meta)).rejects.toBeInstanceOf(
      ConcurrencyError,
    );
    const err: unknown = await store.append("s-2", [ev(2)], 5, meta).catch((e: unknown) => e);
    expect(isConcurrencyError(err)).toBe(true);
    expect((err as ConcurrencyError).actualVersion).toBe(1);
    expect((await store.readStream("s-2")).version).toBe(1);
    // a missing stream at an exact version is a conflict too
    await expect(store.append("s-missing", [ev(1)], 3, meta)).rejects.toBeInstanceOf(
      ConcurrencyError,
    );
  });

  it("chains every event's hash in Postgres exactly as the audit's JavaScript recomputes it", async () => {
    // Awkward content: escapes, non-ASCII, astral characters, numbers jsonb rewrites, deep keys.
    const awkward = (n: number) => ({
      type: `Odd"Type\\${n}`,
      schemaVersion: n,
      data: {
        text: 'quote " backslash \\ newline \n tab \t nul-ish \u0001 é 漢字 🚢',
        numbers: [0, -0, 1.5, 1e21, 1e-7, 123456789012345, -3.25e-5],
        nested: { z: { b: [true, false, null], a: "" }, "": 1, ü: 2 },
        n,
      },
    });
    const odd = { ...meta, actor: 'ärger "quoted"', extra: { z: 1, a: [2, "🚢"] } };
    await store.append("hash-1", [awkward(1), awkward(2)], "noStream", odd);
    await store.append("hash-1", [awkward(3)], 2, odd);
    await store.append("hash-1", [awkward(4), awkward(5), awkward(6)], "any", meta);
    await store.appendMany(
      [
        { streamId: "hash-1", events: [awkward(7)], expectedVersion: 6 },
        { streamId: "hash-2", events: [awkward(8)], expectedVersion: "any" },
      ],
      odd,
    );
    const { rows } = await sql<HashedEventRow>`
      SELECT ${HASHED_EVENT_COLUMNS} FROM events e
       WHERE e.stream_id IN ('hash-1', 'hash-2') ORDER BY e.stream_id, e.stream_version`.execute(
      tdb.db,
    );
    expect(rows.map((r) => `${r.stream_id}@${r.stream_version}`)).toEqual([
      ...[1, 2, 3, 4, 5, 6, 7].map((v) => `hash-1@${v}`),
      "hash-2@1",
    ]);
    const previous = new Map<string, Buffer>();
    for (const row of rows) {
      const expected = chainHash(previous.get(row.stream_id) ?? GENESIS_HASH, hashedFields(row));
      expect(row.event_hash?.toString("hex"), `${row.stream_id}@${row.stream_version}`).toBe(
        expected.toString("hex"),
      );
      previous.set(row.stream_id, expected);
    }
    const streams = await tdb.db
      .selectFrom("streams")
      .select(["stream_id", "version", "last_hash"])
      .where("stream_id", "in", ["hash-1", "hash-2"])
      .orderBy("stream_id")
      .execute();
    expect(
      streams.map((s) => [s.stream_id, Number(s.version), s.last_hash?.toString("hex")]),
    ).toEqual([
      ["hash-1", 7, previous.get("hash-1")!.toString("hex")],
      ["hash-2", 1, previous.get("hash-2")!.toString("hex")],
    ]);
  });

  it("appends with `any` regardless of the version", async () => {
    await store.append("s-3", [ev(1)], "any", meta);
    await store.append("s-3", [ev(2)], "any", meta);
    expect((await store.readStream("s-3")).version).toBe(2);
  });

  it("50 concurrent appends at one expected version: exactly one wins, no gap, nothing lost", async () => {
    await store.append("s-race", [ev(0)], "noStream", meta);
    const outcomes = await Promise.allSettled(
      Array.from({ length: 50 }, (_, i) => store.append("s-race", [ev(i + 1)], 1, meta)),
    );
    const won = outcomes.filter((o) => o.status === "fulfilled");
    const lost = outcomes.filter((o) => o.status === "rejected");
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(49);
    for (const o of lost) expect(o.reason).toBeInstanceOf(ConcurrencyError);
    const read = await store.readStream("s-race");
    expect(read.events.map((e) => e.streamVersion)).toEqual([1, 2]);
    const winner = (won[0] as PromiseFulfilledResult<AppendResult>).value;
    expect(read.events[1]!.data.n).toBe(winner.events[0]!.data.n);
  });

  it("appends to several streams atomically: one conflict rolls back all", async () => {
    await store.append("m-b", [ev(1)], "noStream", meta);
    await expect(
      store.appendMany(
        [
          { streamId: "m-a", events: [ev(1)], expectedVersion: "noStream" },
          { streamId: "m-b", events: [ev(2)], expectedVersion: "noStream" },
        ],
        meta,
      ),
    ).rejects.toBeInstanceOf(ConcurrencyError);
    expect((await store.readStream("m-a")).version).toBe(0);
  });

  it("many concurrent multi-stream appends in opposite orders never deadlock", async () => {
    const runs = Array.from({ length: 20 }, (_, i) =>
      store.appendMany(
        i % 2 === 0
          ? [
              { streamId: "d-x", events: [ev(i)], expectedVersion: "any" },
              { streamId: "d-y", events: [ev(i)], expectedVersion: "any" },
            ]
          : [
              { streamId: "d-y", events: [ev(i)], expectedVersion: "any" },
              { streamId: "d-x", events: [ev(i)], expectedVersion: "any" },
            ],
        meta,
      ),
    );
    await Promise.all(runs);
    expect((await store.readStream("d-x")).version).toBe(20);
    expect((await store.readStream("d-y")).version).toBe(20);
  });
});
