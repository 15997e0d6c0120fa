import { describe, expect, it } from "vitest";
import { HEADER } from "../../../shared/bus/headers.js";
import { eventStreamName } from "../../../shared/bus/subjects.js";
import { appendToStream, type RecordedEvent } from "../../../shared/eventstore/index.js";
import { EVENT_HEADER, parseEnvelope, readStoredCheckpoint } from "../../../shared/relay/index.js";
import { testPrefix } from "../../fixtures/nats.js";
import {
  appendOutOfPositionOrder,
  logInOrder,
  messageCount,
  meta,
  streamEvents,
  streamMessages,
  waitFor,
} from "./jetstreamHelpers.js";
import { useRelayTestBed } from "./relayTestBed.js";

describe("relay: Postgres log → JetStream", () => {
  const bed = useRelayTestBed("relay");

  const relay = (prefix: string) =>
    bed.startRelay(prefix, { batchSize: 7, pollIntervalMs: 50, standbyRetryMs: 100 });

  it("relays every event exactly once, in log order, with headers, past a transaction held open", async () => {
    const prefix = testPrefix("rl");
    const stream = eventStreamName(prefix);
    const r = relay(prefix);

    for (let i = 0; i < 10; i++) {
      await bed.store.append(
        `cluster:c${i % 3}`,
        [{ type: "ClusterThing", data: { clusterName: `c${i % 3}`, i } }],
        "any",
        meta,
      );
    }
    await bed.store.appendMany(
      [
        {
          streamId: "taskdef:web",
          events: [{ type: "TaskDefinitionRegistered", data: { n: 1 } }],
          expectedVersion: "any",
        },
        {
          streamId: "cluster:c0",
          events: [{ type: "ClusterThing", data: { clusterName: "c0" } }],
          expectedVersion: "any",
        },
      ],
      meta,
    );

    // A transaction takes a position and stays open while later ones commit.
    let release!: () => void;
    const gate = new Promise<void>((res) => (release = res));
    let appended!: (e: RecordedEvent) => void;
    const heldEvent = new Promise<RecordedEvent>((res) => (appended = res));
    const held = bed.tdb.db.transaction().execute(async (trx) => {
      const result = await appendToStream(
        trx,
        "cluster:held",
        [{ type: "Held", data: { clusterName: "held" } }],
        "noStream",
        meta,
      );
      appended(result.events[0]!);
      await gate;
    });
    const heldE = await heldEvent;

    // Concurrent writers commit while it is open.
    await Promise.all(
      Array.from({ length: 24 }, (_, i) =>
        bed.store.append(
          `cluster:p${i % 4}`,
          [{ type: "Parallel", data: { clusterName: `p${i % 4}`, i } }],
          "any",
          meta,
        ),
      ),
    );

    // Everything the relay published so far comes before the held transaction in log order.
    await waitFor(
      "the relay publishes what precedes the held transaction",
      async () => (await messageCount(bed.jsm, stream)) >= 12,
    );
    const early = await streamEvents(bed.jsm, stream);
    expect(early.every((e) => BigInt(e.transactionId) < BigInt(heldE.transactionId))).toBe(true);
    expect(early.map((e) => e.eventId)).not.toContain(heldE.eventId);

    release();
    await held;
    await r.whenCaughtUp({ timeoutMs: 15_000 });

    const log = await logInOrder(bed.store);
    expect(log).toHaveLength(10 + 2 + 1 + 24);
    const messages = await streamMessages(bed.jsm, stream);
    const relayed = messages.map((m) => parseEnvelope(m.data));
    expect(relayed.map((e) => e.eventId)).toEqual(log.map((e) => e.eventId));
    expect(new Set(relayed.map((e) => e.eventId)).size).toBe(log.length);
    expect(relayed).toEqual(log);

    for (const [i, m] of messages.entries()) {
      const e = log[i]!;
      expect(m.header.get("Nats-Msg-Id")).toBe(e.eventId);
      expect(m.header.get(EVENT_HEADER.position)).toBe(String(e.position));
      expect(m.header.get(EVENT_HEADER.streamId)).toBe(e.streamId);
      expect(m.header.get(EVENT_HEADER.streamVersion)).toBe(String(e.streamVersion));
      expect(m.header.get(EVENT_HEADER.eventType)).toBe(e.type);
      expect(m.header.get(EVENT_HEADER.schemaVersion)).toBe(String(e.schemaVersion));
      expect(m.header.get(HEADER.actor)).toBe("test");
      expect(m.header.get(HEADER.correlationId)).toBe("corr-1");
      expect(m.header.get(HEADER.causationId)).toBe("cause-1");
      expect(m.header.get(HEADER.commandId)).toBe("cmd-1");
    }
    const held0 = messages.find((m) => parseEnvelope(m.data).eventId === heldE.eventId)!;
    expect(held0.subject).toBe(`${prefix}.evt.held.cluster.Held`);
    const td = messages.find((m) => parseEnvelope(m.data).type === "TaskDefinitionRegistered")!;
    expect(td.subject).toBe(`${prefix}.evt.@account.taskdef.TaskDefinitionRegistered`);

    const last = log.at(-1)!;
    expect(await readStoredCheckpoint(bed.tdb.db, `relay-${prefix}`)).toEqual({
      transactionId: last.transactionId,
      position: last.position,
    });
    expect(r.status).toMatchObject({ leader: true, published: log.length, duplicates: 0 });
  });

  it("follows log order, not position order, when a transaction took its id first and committed last", async () => {
    const prefix = testPrefix("rl");
    const r = relay(prefix);
    await r.whenCaughtUp({ timeoutMs: 10_000 });
    const [a, b] = await appendOutOfPositionOrder(bed.tdb.db, bed.store, "cluster:a", "cluster:b");
    await r.whenCaughtUp({ timeoutMs: 10_000 });
    const relayed = (await streamEvents(bed.jsm, eventStreamName(prefix))).map((e) => e.eventId);
    // A's event has the higher position but comes first in the log.
    expect(relayed.indexOf(a.eventId)).toBeGreaterThanOrEqual(0);
    expect(relayed.indexOf(a.eventId)).toBeLessThan(relayed.indexOf(b.eventId));
    expect(relayed).toEqual((await logInOrder(bed.store)).map((e) => e.eventId));
  });

  it("wakes on the append notification rather than waiting for the next poll", async () => {
    const prefix = testPrefix("rl");
    const r = bed.startRelay(prefix, { pollIntervalMs: 60_000 });
    await waitFor("leadership", () => r.status.leader);
    await r.whenCaughtUp({ timeoutMs: 10_000 });
    const before = r.status.published;
    const appendedAt = Date.now();
    await bed.store.append("cluster:wake", [{ type: "Wake", data: {} }], "any", meta);
    await r.whenCaughtUp({ timeoutMs: 10_000 });
    expect(Date.now() - appendedAt).toBeLessThan(10_000);
    expect(r.status.published).toBe(before + 1);
  });
});
