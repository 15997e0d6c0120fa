import { jetstream, type JsMsg } from "@nats-io/jetstream";
import { describe, expect, it } from "vitest";
import { eventStreamName } from "../../../shared/bus/subjects.js";
import {
  startConsumer,
  type ConsumerOptions,
  type EventConsumer,
} from "../../../shared/consumer/index.js";
import { clientError } from "../../../shared/domain/errors.js";
import type { RecordedEvent } from "../../../shared/eventstore/index.js";
import type { Logger } from "../../../shared/log/index.js";
import { eventHeaders, toEnvelope } from "../../../shared/relay/index.js";
import { testPrefix } from "../../fixtures/nats.js";
import { appendOutOfPositionOrder, logInOrder, meta } from "../relay/jetstreamHelpers.js";
import { useRelayTestBed } from "../relay/relayTestBed.js";

interface LogEntry {
  level: string;
  obj: object;
  msg: string | undefined;
}

const recordingLogger = (entries: LogEntry[]): Logger => {
  const at = (level: string) => (obj: object, msg?: string) => entries.push({ level, obj, msg });
  const log: Logger = {
    debug: () => undefined,
    info: at("info"),
    warn: at("warn"),
    error: at("error"),
    child: () => log,
  };
  return log;
};

describe("durable event consumer", () => {
  const bed = useRelayTestBed("consumer");

  /** A prefix of the test's own with a relay feeding its stream from this database. */
  const setup = async () => {
    const prefix = testPrefix("cs");
    const relay = bed.startRelay(prefix, { pollIntervalMs: 50 });
    await relay.whenCaughtUp({ timeoutMs: 15_000 });
    const consume = async (
      options: Omit<ConsumerOptions, "nc" | "prefix" | "durableName"> & { durableName?: string },
    ) => {
      return bed.trackConsumer(
        await startConsumer({ nc: bed.nc, prefix, durableName: "svc", nakDelayMs: 50, ...options }),
      );
    };
    const caughtUp = async (c: EventConsumer) => {
      await relay.whenCaughtUp({ timeoutMs: 15_000 });
      await c.whenCaughtUp({ timeoutMs: 15_000 });
    };
    return { prefix, relay, consume, caughtUp };
  };

  const append = async (tag: string, n: number) => {
    const out: RecordedEvent[] = [];
    for (let i = 0; i < n; i++) {
      const r = await bed.store.append(
        `cluster:${tag}`,
        [{ type: `T${i % 3}`, data: { clusterName: tag, i } }],
        "any",
        meta,
      );
      out.push(...r.events);
    }
    return out;
  };

  it("handles every event once, in log order; whenCaughtUp waits for all of them", async () => {
    const { consume, caughtUp } = await setup();
    const before = (await logInOrder(bed.store)).map((e) => e.eventId);
    await append("a", 30);
    const handled: RecordedEvent[] = [];
    const c = await consume({ handle: (e) => void handled.push(e) });
    await caughtUp(c);
    const log = await logInOrder(bed.store);
    expect(handled.map((e) => e.eventId)).toEqual(log.map((e) => e.eventId));
    expect(handled.length).toBe(before.length + 30);
    expect(handled.at(-1)!.recordedAt).toBeInstanceOf(Date);
    expect(handled.at(-1)).toEqual(log.at(-1));

    await append("b", 10);
    await caughtUp(c);
    expect(handled.map((e) => e.eventId)).toEqual(
      (await logInOrder(bed.store)).map((e) => e.eventId),
    );
    expect(c.status).toMatchObject({
      handled: handled.length,
      retried: 0,
      terminated: 0,
      skipped: 0,
    });
  });

  it("a retryable failure is nak'd and redelivered, and the events after it wait for it", async () => {
    const { consume, caughtUp } = await setup();
    const events = await append("retry", 8);
    const flaky = events[3]!;
    const deliveries: number[] = [];
    const handled: string[] = [];
    const c2 = await consume({
      handle: (e, msg: JsMsg) => {
        if (e.eventId === flaky.eventId) {
          deliveries.push(msg.info.deliveryCount);
          if (deliveries.length < 3) throw new Error("database briefly unavailable");
        }
        handled.push(e.eventId);
      },
    });
    await caughtUp(c2);
    expect(deliveries).toEqual([1, 2, 3]);
    const log = (await logInOrder(bed.store)).map((e) => e.eventId);
    expect(handled).toEqual(log);
    expect(c2.status).toMatchObject({ retried: 2, terminated: 0 });
  });

  it("a poison message is terminated and logged; the loop goes on", async () => {
    const { prefix, relay, consume, caughtUp } = await setup();
    const js = jetstream(bed.nc);
    await append("p1", 2);
    await relay.whenCaughtUp({ timeoutMs: 15_000 });
    await js.publish(`${prefix}.evt.x.cluster.Garbage`, "not json at all");
    await js.publish(`${prefix}.evt.x.cluster.Garbage`, JSON.stringify({ position: "one" }));
    await append("p2", 3);
    const entries: LogEntry[] = [];
    const handled: string[] = [];
    const c = await consume({
      handle: (e) => void handled.push(e.eventId),
      log: recordingLogger(entries),
    });
    await caughtUp(c);
    expect(handled).toEqual((await logInOrder(bed.store)).map((e) => e.eventId));
    expect(c.status.terminated).toBe(2);
    expect(entries.filter((e) => e.level === "error" && e.msg?.includes("poison"))).toHaveLength(2);
    const info = await bed.jsm.consumers.info(eventStreamName(prefix), "svc");
    expect(info.num_ack_pending).toBe(0);
    expect(info.num_redelivered).toBe(0);
  });

  it("a non-retryable error (EcsError) terminates the event at once; later events are handled", async () => {
    const { consume, caughtUp } = await setup();
    const events = await append("term", 5);
    const bad = events[1]!;
    let badCalls = 0;
    const handled: string[] = [];
    const c = await consume({
      handle: (e) => {
        if (e.eventId === bad.eventId) {
          badCalls++;
          throw clientError("the cluster name is invalid");
        }
        handled.push(e.eventId);
      },
    });
    await caughtUp(c);
    expect(badCalls).toBe(1);
    expect(handled).toEqual(
      (await logInOrder(bed.store)).map((e) => e.eventId).filter((id) => id !== bad.eventId),
    );
    expect(c.status).toMatchObject({ terminated: 1, retried: 0 });
  });

  it("gives an event up after maxDeliver retryable failures", async () => {
    const { consume, caughtUp } = await setup();
    const events = await append("maxd", 3);
    const bad = events[0]!;
    const deliveries: number[] = [];
    const c = await consume({
      maxDeliver: 3,
      handle: (e, msg) => {
        if (e.eventId !== bad.eventId) return;
        deliveries.push(msg.info.deliveryCount);
        throw new Error("always failing");
      },
    });
    await caughtUp(c);
    expect(deliveries).toEqual([1, 2, 3]);
    expect(c.status).toMatchObject({ retried: 2, terminated: 1 });
  });

  it("positions are not monotonic in log order: the consumer handles both events, skipping neither", async () => {
    const { consume, caughtUp } = await setup();
    const handled: RecordedEvent[] = [];
    const c = await consume({ handle: (e) => void handled.push(e) });
    await caughtUp(c);
    const [a, b] = await appendOutOfPositionOrder(
      bed.tdb.db,
      bed.store,
      "cluster:oa",
      "cluster:ob",
    );
    await caughtUp(c);
    const ids = handled.map((e) => e.eventId);
    expect(ids.indexOf(a.eventId)).toBeGreaterThanOrEqual(0);
    expect(ids.indexOf(a.eventId)).toBeLessThan(ids.indexOf(b.eventId));
    expect(a.position).toBeGreaterThan(b.position);
    expect(c.status.skipped).toBe(0);
  });

  it("an event relayed again beyond the duplicate window is skipped, not handled twice", async () => {
    const { prefix, consume, caughtUp } = await setup();
    const events = await append("dup", 3);
    const handled: string[] = [];
    const c = await consume({ handle: (e) => void handled.push(e.eventId) });
    await caughtUp(c);
    const count = handled.length;
    // What a relay restarted after the window would do: the same event, a new message.
    const again = events[2]!;
    await jetstream(bed.nc).publish(
      `${prefix}.evt.dup.cluster.${again.type}`,
      JSON.stringify(toEnvelope(again)),
      {
        headers: eventHeaders(again),
      },
    );
    await caughtUp(c);
    expect(handled).toHaveLength(count);
    expect(c.status.skipped).toBe(1);
  });

  it("a handler slower than the ack wait keeps its message (working()) and is not redelivered", async () => {
    const { prefix, consume, caughtUp } = await setup();
    const events = await append("slow", 2);
    const calls: number[] = [];
    const c = await consume({
      durableName: "svc-slow",
      ackWaitMs: 600,
      handle: async (e, msg) => {
        if (e.eventId !== events[0]!.eventId) return;
        calls.push(msg.info.deliveryCount);
        await new Promise((r) => setTimeout(r, 2_000)); // the slow work itself
      },
    });
    await caughtUp(c);
    expect(calls).toEqual([1]);
    // Not even redelivered behind its back (which the skip rule would have hidden).
    expect(c.status).toMatchObject({ retried: 0, skipped: 0 });
    const info = await bed.jsm.consumers.info(eventStreamName(prefix), "svc-slow");
    expect(info.num_redelivered).toBe(0);
  });

  it("a restarted consumer resumes from its durable: only new events are handled", async () => {
    const { consume, caughtUp } = await setup();
    await append("r1", 5);
    const first: string[] = [];
    const c1 = await consume({
      durableName: "svc-restart",
      handle: (e) => void first.push(e.eventId),
    });
    await caughtUp(c1);
    await c1.stop();
    const fresh = await append("r2", 4);
    const second: string[] = [];
    const c2 = await consume({
      durableName: "svc-restart",
      handle: (e) => void second.push(e.eventId),
    });
    await caughtUp(c2);
    expect(second).toEqual(fresh.map((e) => e.eventId));
    expect(first).not.toContain(fresh[0]!.eventId);
  });

  it("filter subjects: one is filtered by the server, several on a 2.9 server by the client", async () => {
    const { prefix, consume, caughtUp } = await setup();
    await append("f", 9); // types T0, T1, T2
    const one: string[] = [];
    const many: string[] = [];
    const c1 = await consume({
      durableName: "svc-one",
      filterSubjects: [`${prefix}.evt.*.cluster.T1`],
      handle: (e) => void one.push(e.type),
    });
    const c2 = await consume({
      durableName: "svc-many",
      filterSubjects: [`${prefix}.evt.*.cluster.T0`, `${prefix}.evt.f.*.T2`],
      handle: (e) => void many.push(e.type),
    });
    await caughtUp(c1);
    await caughtUp(c2);
    const log = await logInOrder(bed.store);
    expect(one).toEqual(log.filter((e) => e.type === "T1").map((e) => e.type));
    expect(many).toEqual(
      log
        .filter((e) => e.type === "T0" || (e.type === "T2" && e.streamId === "cluster:f"))
        .map((e) => e.type),
    );
  });
});
