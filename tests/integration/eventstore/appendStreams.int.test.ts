import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { verifyLog } from "../../../shared/audit/tamper/verifyLog.js";
import {
  ConcurrencyError,
  EventStore,
  type EventMetadata,
  type StreamAppend,
} from "../../../shared/eventstore/index.js";
import { createTestDatabase, type TestDatabase } from "../../fixtures/database.js";

const meta: EventMetadata = { actor: "test", correlationId: "c-1" };
const ev = (n: number) => ({ type: "Thing", data: { n } });

/** appendBatch: many streams in a few statements, with appendMany's rows and guarantees. */
describe("appendStreams (EventStore.appendBatch)", () => {
  let tdb: TestDatabase;
  let store: EventStore;
  beforeAll(async () => {
    tdb = await createTestDatabase("es_appendstreams");
    store = new EventStore(tdb.db);
  });
  afterAll(async () => tdb.drop());

  const rowsOf = async (streamIds: string[]) =>
    (
      await tdb.db
        .selectFrom("events")
        .select(["stream_id", "stream_version", "type", "data", "metadata", "transaction_id"])
        .where("stream_id", "in", streamIds)
        .orderBy("position")
        .execute()
    ).map((r) => ({ ...r, stream_version: Number(r.stream_version) }));

  it("appends to new, existing and `any` streams in one transaction, like appendMany", async () => {
    await store.append("b-old", [ev(1)], "noStream", meta);
    await store.append("b-any", [ev(1), ev(2)], "noStream", meta);
    await store.append("m-old", [ev(1)], "noStream", meta);
    await store.append("m-any", [ev(1), ev(2)], "noStream", meta);
    const batch = (p: string): StreamAppend[] => [
      { streamId: `${p}-old`, events: [ev(2), ev(3)], expectedVersion: 1 },
      { streamId: `${p}-new`, events: [ev(1)], expectedVersion: "noStream" },
      { streamId: `${p}-any`, events: [ev(3)], expectedVersion: "any" },
      { streamId: `${p}-anynew`, events: [ev(1)], expectedVersion: "any" },
      { streamId: `${p}-none`, events: [], expectedVersion: "any" },
    ];
    const got = await store.appendBatch(batch("b"), meta);
    const want = await store.appendMany(batch("m"), meta);
    const shape = (rs: typeof got) =>
      rs.map((r) => ({
        stream: r.streamId.slice(2),
        next: r.nextExpectedVersion,
        events: r.events.map((e) => [e.streamVersion, e.type, e.data]),
      }));
    expect(shape(got)).toEqual(shape(want));
    // The same rows, in the same order, each batch in one transaction.
    const b = await rowsOf(["b-old", "b-new", "b-any", "b-anynew"].map(String));
    const m = await rowsOf(["m-old", "m-new", "m-any", "m-anynew"]);
    const strip = (rows: typeof b) =>
      rows
        .filter((r) => r.transaction_id === rows.at(-1)!.transaction_id)
        .map(({ transaction_id: _t, stream_id, ...r }) => ({ ...r, stream: stream_id.slice(2) }));
    expect(strip(b)).toEqual(strip(m));
    expect((await store.readStream("b-old")).version).toBe(3);
    expect((await store.readStream("b-any")).version).toBe(3);
    // The hash chain is whole: every stream verifies.
    const report = await verifyLog(tdb.db);
    expect(report.problems).toEqual([]);
  });

  it("appends nothing when one expected version misses, failing with a ConcurrencyError", async () => {
    await store.append("c-1", [ev(1)], "noStream", meta);
    await store.append("c-2", [ev(1)], "noStream", meta);
    const attempt = (expected: StreamAppend["expectedVersion"], other: string) =>
      store.appendBatch(
        [
          { streamId: other, events: [ev(9)], expectedVersion: "noStream" },
          { streamId: "c-1", events: [ev(2)], expectedVersion: 1 },
          { streamId: "c-2", events: [ev(2)], expectedVersion: expected },
        ],
        meta,
      );
    const err = await attempt(5, "c-new-1").catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConcurrencyError);
    expect((err as ConcurrencyError).actualVersion).toBe(1);
    await expect(attempt("noStream", "c-new-2")).rejects.toBeInstanceOf(ConcurrencyError);
    await expect(attempt(1, "c-1")).rejects.toThrow(/appears twice/);
    expect((await store.readStream("c-1")).version).toBe(1);
    expect((await store.readStream("c-2")).version).toBe(1);
    expect((await store.readStream("c-new-1")).version).toBe(0);
    expect((await store.readStream("c-new-2")).version).toBe(0);
  });

  it("readStreams reads several streams in one go, as readStream reads each", async () => {
    await store.append("r-1", [ev(1), ev(2)], "noStream", meta);
    await store.append("r-2", [ev(1)], "noStream", meta);
    const ids = ["r-2", "r-missing", "r-1", "r-2"];
    const read = await store.readStreams(ids);
    expect([...read.keys()].sort()).toEqual(["r-1", "r-2", "r-missing"]);
    for (const id of ids) expect(read.get(id)).toEqual(await store.readStream(id));
  });

  it("never deadlocks: concurrent batches over the same streams, in any order, all land", async () => {
    const streams = Array.from({ length: 12 }, (_, i) => `d-${i}`);
    for (const s of streams) await store.append(s, [ev(0)], "noStream", meta);
    const shuffled = (seed: number) =>
      [...streams].sort((a, b) => ((a.charCodeAt(2) * seed) % 7) - ((b.charCodeAt(2) * seed) % 7));
    await Promise.all(
      Array.from({ length: 16 }, (_, k) =>
        store.appendBatch(
          shuffled(k + 1).map((streamId) => ({
            streamId,
            events: [ev(k)],
            expectedVersion: "any" as const,
          })),
          meta,
        ),
      ),
    );
    for (const s of streams) expect((await store.readStream(s)).version).toBe(17);
    expect((await verifyLog(tdb.db)).problems).toEqual([]);
  });
});
