import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  EventStore,
  START_OF_LOG,
  type Checkpoint,
  type EventMetadata,
  type RecordedEvent,
} from "../../../shared/eventstore/index.js";
import { createTestDatabase, type TestDatabase } from "../../fixtures/database.js";

const meta: EventMetadata = { actor: "test", correlationId: "c" };

/** Follows the log to the end, as a relay or an async projection does. */
const drain = async (store: EventStore, from: Checkpoint) => {
  const seen: RecordedEvent[] = [];
  let checkpoint = from;
  for (;;) {
    const page = await store.readAll(checkpoint, 100);
    seen.push(...page.events);
    checkpoint = page.checkpoint;
    if (page.events.length === 0) return { seen, checkpoint };
  }
};

describe("readAll (following the log)", () => {
  let tdb: TestDatabase;
  let store: EventStore;
  beforeAll(async () => {
    tdb = await createTestDatabase("es_readall");
    store = new EventStore(tdb.db);
  });
  afterAll(async () => tdb.drop());

  it("never skips an event whose transaction commits after a later position is visible", async () => {
    // A transaction takes a position first and stays open on purpose.
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    let appendedInHeld!: () => void;
    const heldAppended = new Promise<void>((r) => (appendedInHeld = r));
    const slow = tdb.db.transaction().execute(async (trx) => {
      await sql`INSERT INTO events (event_id, stream_id, stream_version, type, schema_version, data, metadata)
                VALUES (gen_random_uuid(), 'late', 1, 'Late', 1, '{}', '{}')`.execute(trx);
      appendedInHeld();
      await held;
    });
    await heldAppended;
    // Later transactions commit while it is open: their positions are higher.
    await store.append("early-1", [{ type: "E", data: {} }], "any", meta);
    await store.append("early-2", [{ type: "E", data: {} }], "any", meta);

    const first = await drain(store, START_OF_LOG);
    expect(first.seen.map((e) => e.streamId)).not.toContain("late");
    // The reader is held back below the open transaction rather than skipping it.
    expect(first.seen.map((e) => e.streamId)).not.toContain("early-1");

    release();
    await slow;
    // Now committed, it is read as soon as no older transaction is open anywhere in the
    // cluster (other test files' transactions may briefly be): follow the log until it is.
    const later: RecordedEvent[] = [];
    let checkpoint = first.checkpoint;
    const deadline = Date.now() + 10_000;
    while (!later.some((e) => e.streamId === "late") && Date.now() < deadline) {
      const next = await drain(store, checkpoint);
      later.push(...next.seen);
      checkpoint = next.checkpoint;
      if (next.seen.length === 0) await new Promise((r) => setTimeout(r, 20));
    }
    const all = [...first.seen, ...later].map((e) => e.streamId);
    expect(all).toContain("late");
    expect(all.filter((s) => s === "early-1")).toHaveLength(1);
    expect(all.filter((s) => s === "early-2")).toHaveLength(1);
  });

  it("many writers on many streams while a reader follows: every event exactly once", async () => {
    const writers = 8;
    const perWriter = 40;
    let done = false;
    const seen = new Map<string, number>();
    let checkpoint: Checkpoint = (await drain(store, START_OF_LOG)).checkpoint;
    const reader = (async () => {
      for (;;) {
        const page = await store.readAll(checkpoint, 50);
        for (const e of page.events) seen.set(e.eventId, (seen.get(e.eventId) ?? 0) + 1);
        checkpoint = page.checkpoint;
        if (page.events.length === 0) {
          if (done) return;
          await new Promise((r) => setTimeout(r, 5));
        }
      }
    })();
    const written: string[] = [];
    await Promise.all(
      Array.from({ length: writers }, async (_, w) => {
        for (let i = 0; i < perWriter; i++) {
          const stream = `w-${w}-${i % 5}`;
          if (i % 7 === 0) {
            // Hold some transactions open a little so commit order differs from position order.
            await tdb.db.transaction().execute(async (trx) => {
              const id = crypto.randomUUID();
              await sql`INSERT INTO events (event_id, stream_id, stream_version, type, schema_version, data, metadata)
                        VALUES (${id}::uuid, ${`slow-${w}-${i}`}, 1, 'Slow', 1, '{}', '{}')`.execute(
                trx,
              );
              await new Promise((r) => setTimeout(r, 20));
              written.push(id);
            });
          } else {
            const r = await store.append(stream, [{ type: "W", data: { w, i } }], "any", meta);
            written.push(r.events[0]!.eventId);
          }
        }
      }),
    );
    done = true;
    await reader;
    // Passes after every writer committed, until all were seen. The snapshot's xmin is
    // cluster-wide, so a transaction another test holds open in another database can hold
    // the reader back for a while: held back is fine, skipped or doubled is not.
    const deadline = Date.now() + 30_000;
    while (written.some((id) => !seen.has(id)) && Date.now() < deadline) {
      const tail = await drain(store, checkpoint);
      for (const e of tail.seen) seen.set(e.eventId, (seen.get(e.eventId) ?? 0) + 1);
      checkpoint = tail.checkpoint;
      await new Promise((r) => setTimeout(r, 50));
    }
    for (const id of written) expect(seen.get(id), id).toBe(1);
    expect([...seen.values()].every((n) => n === 1)).toBe(true);
  });
});

describe("readAll across a transaction id digit boundary (xid 9999 → 10000)", () => {
  let tdb: TestDatabase;
  let store: EventStore;
  beforeAll(async () => {
    tdb = await createTestDatabase("es_xid");
    store = new EventStore(tdb.db);
  });
  afterAll(async () => tdb.drop());

  /** Burns transaction ids (one per subtransaction that writes) until the next is `target`. */
  const burnXidsUntil = async (target: bigint) => {
    await sql`CREATE TABLE IF NOT EXISTS xid_burn (n int)`.execute(tdb.db);
    for (;;) {
      const r = await sql<{ x: string }>`SELECT pg_current_xact_id()::text AS x`.execute(tdb.db);
      const next = BigInt(r.rows[0]!.x) + 1n;
      const gap = target - next;
      if (gap <= 0n) return;
      const n = Number(gap > 50_000n ? 50_000n : gap);
      await sql`DO $$ BEGIN FOR i IN 1..${sql.lit(n)} LOOP
                  BEGIN INSERT INTO xid_burn VALUES (i); EXCEPTION WHEN others THEN NULL; END;
                END LOOP; END $$`.execute(tdb.db);
    }
  };

  it("orders by transaction id as a number, so the checkpoint never goes backwards", async (ctx) => {
    const r = await sql<{ x: string }>`SELECT pg_current_xact_id()::text AS x`.execute(tdb.db);
    const current = BigInt(r.rows[0]!.x);
    const boundary = 10n ** BigInt(current.toString().length);
    // Burning costs about 5 µs an id; past a few million it is not worth it here.
    if (boundary - current > 3_000_000n) ctx.skip();
    await burnXidsUntil(boundary - 3n);
    const ids: string[] = [];
    for (let i = 0; i < 8; i++) {
      const a = await store.append(`x-${i}`, [{ type: "X", data: { i } }], "any", meta);
      ids.push(a.events[0]!.eventId);
    }
    const transactionIds = new Set<string>();
    const seen: string[] = [];
    let checkpoint: Checkpoint = START_OF_LOG;
    // Read in pages of 2 until all are seen: a long transaction in another database of the
    // cluster holds the read horizon back for a while, so an empty page is not the end yet.
    const deadline = Date.now() + 60_000;
    while (seen.length < ids.length && Date.now() < deadline) {
      const page = await store.readAll(checkpoint, 2);
      if (page.events.length === 0) await new Promise((r) => setTimeout(r, 100));
      for (const e of page.events) {
        seen.push(e.eventId);
        transactionIds.add(e.transactionId);
      }
      checkpoint = page.checkpoint;
    }
    expect([...transactionIds].some((x) => x.length > current.toString().length)).toBe(true);
    expect(seen).toEqual(ids);
  });
});
