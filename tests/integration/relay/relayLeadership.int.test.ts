import { sql } from "kysely";
import { describe, expect, it } from "vitest";
import { eventStreamName } from "../../../shared/bus/subjects.js";
import { testPrefix } from "../../fixtures/nats.js";
import { logInOrder, meta, streamEvents, waitFor } from "./jetstreamHelpers.js";
import { useRelayTestBed } from "./relayTestBed.js";

describe("relay leadership", () => {
  const bed = useRelayTestBed("relay_lead");

  /** Relays competing for the prefix's leadership: `a` starts at once, more on `start()`. */
  const relayPair = (prefix: string) => {
    const start = () =>
      bed.startRelay(prefix, { batchSize: 10, pollIntervalMs: 50, standbyRetryMs: 100 });
    return { a: start(), start };
  };

  const append = async (tag: string, n: number) => {
    for (let i = 0; i < n; i++) {
      await bed.store.append(
        `cluster:${tag}${i % 3}`,
        [{ type: "Thing", data: { tag, i } }],
        "any",
        meta,
      );
    }
  };

  const expectExactlyOnceInLogOrder = async (prefix: string) => {
    const relayed = (await streamEvents(bed.jsm, eventStreamName(prefix))).map((e) => e.eventId);
    expect(relayed).toEqual((await logInOrder(bed.store)).map((e) => e.eventId));
  };

  it("two relays at once: only the leader publishes; the standby takes over when it stops", async () => {
    const prefix = testPrefix("ld");
    const pair = relayPair(prefix);
    const a = pair.a;
    await waitFor("a leads", () => a.status.leader);
    const b = pair.start();
    await append("x", 40);
    await a.whenCaughtUp({ timeoutMs: 15_000 });
    await b.whenCaughtUp({ timeoutMs: 15_000 }); // a standby sees the stored checkpoint move
    expect(a.status.leader).toBe(true);
    expect(b.status).toMatchObject({ leader: false, published: 0, leaderTerms: 0 });
    const total = (await logInOrder(bed.store)).length;
    expect(a.status.published).toBe(total);

    await a.stop();
    expect(a.status.leader).toBe(false);
    await waitFor("b takes over", () => b.status.leader);
    await append("y", 25);
    await b.whenCaughtUp({ timeoutMs: 15_000 });
    // b starts from a's checkpoint: nothing a published is published again.
    expect(b.status).toMatchObject({ published: 25, duplicates: 0, leaderTerms: 1 });
    await expectExactlyOnceInLogOrder(prefix);
  });

  it("the leader's Postgres session is killed: it stops publishing and leadership moves on, no event lost or doubled", async () => {
    const prefix = testPrefix("ld");
    const pair = relayPair(prefix);
    const a = pair.a;
    await waitFor("a leads", () => a.status.leader);
    const b = pair.start();
    await append("k", 20);
    await a.whenCaughtUp({ timeoutMs: 15_000 });
    expect(b.status.leader).toBe(false);

    // Kill the backend that holds the advisory lock, as a crashed host or a DBA would.
    const killed = await sql<{ pid: number; killed: boolean }>`
      SELECT l.pid, pg_terminate_backend(l.pid) AS killed
        FROM pg_locks l JOIN pg_stat_activity s ON s.pid = l.pid
       WHERE l.locktype = 'advisory' AND l.granted
         AND s.datname = current_database()
         AND s.application_name = ${`flotilla-relay-relay-${prefix}`}`.execute(bed.tdb.db);
    expect(killed.rows).toHaveLength(1);
    expect(killed.rows[0]!.killed).toBe(true);

    // The old leader notices the loss of its session (its error event) and stands by;
    // whoever holds the lock now is the only leader.
    await waitFor(
      "a new leadership term, with exactly one leader",
      () =>
        a.status.leaderTerms + b.status.leaderTerms === 2 &&
        [a.status.leader, b.status.leader].filter(Boolean).length === 1,
      15_000,
    );
    await append("m", 20);
    const leader = a.status.leader ? a : b;
    await leader.whenCaughtUp({ timeoutMs: 15_000 });
    await expectExactlyOnceInLogOrder(prefix);
  });

  it("many relays racing: at every moment at most one leads", async () => {
    const prefix = testPrefix("ld");
    const pair = relayPair(prefix);
    const all = [pair.a, pair.start(), pair.start(), pair.start()];
    let maxLeaders = 0;
    const sampler = setInterval(() => {
      maxLeaders = Math.max(maxLeaders, all.filter((r) => r.status.leader).length);
    }, 5);
    try {
      await waitFor("someone leads", () => all.some((r) => r.status.leader));
      await append("r", 30);
      // Stop leaders one after another; the others take over in turn.
      for (let i = 0; i < 3; i++) {
        const leader = all.find((r) => r.status.leader)!;
        await leader.whenCaughtUp({ timeoutMs: 15_000 });
        await leader.stop();
        await waitFor("a new leader", () => all.some((r) => r.status.leader));
        await append(`s${i}`, 5);
      }
      const last = all.find((r) => r.status.leader)!;
      await last.whenCaughtUp({ timeoutMs: 15_000 });
    } finally {
      clearInterval(sampler);
    }
    expect(maxLeaders).toBe(1);
    await expectExactlyOnceInLogOrder(prefix);
  });
});
