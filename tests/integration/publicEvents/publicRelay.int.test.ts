import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { jetstreamManager, type JetStreamManager } from "@nats-io/jetstream";
import type { NatsConnection } from "@nats-io/nats-core";
import { connect } from "@nats-io/transport-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { followTaskChanges, type TaskChange } from "../../../examples/taskFollower.js";
import { EventStore, START_OF_LOG } from "../../../shared/eventstore/index.js";
import { upcastEvent } from "../../../shared/events/index.js";
import {
  PublicEvent,
  publicStreamName,
  publicSubject,
  startPublicRelay,
  type AnyPublicEvent,
  type PublicRelay,
} from "../../../shared/publicEvents/index.js";
import { readStoredCheckpoint } from "../../../shared/relay/index.js";
import { createTestDatabase, type TestDatabase } from "../../fixtures/database.js";
import { natsUrl, testPrefix } from "../../fixtures/nats.js";
import { mapLog } from "../../unit/publicEvents/publicEventSamples.js";
import { logInOrder, messageCount, streamMessages, waitFor } from "../relay/jetstreamHelpers.js";
import { appendWorkload } from "./publicWorkload.js";

const RELAY_PROCESS = fileURLToPath(new URL("./publicRelayProcess.ts", import.meta.url));
const ARN = { region: "us-east-1", accountId: "123456789012" };
const TASKS = 30;

describe("public event relay and the example consumer", () => {
  let tdb: TestDatabase;
  let store: EventStore;
  let nc: NatsConnection;
  let jsm: JetStreamManager;
  let expected: AnyPublicEvent[];
  const relays: PublicRelay[] = [];
  const prefixes: string[] = [];

  beforeAll(async () => {
    tdb = await createTestDatabase("public_relay");
    store = new EventStore(tdb.db);
    nc = await connect({ servers: natsUrl() });
    jsm = await jetstreamManager(nc);
    await appendWorkload(store, TASKS);
    // What the mapping makes of the whole log, folded in memory: the relay must publish exactly this.
    expected = mapLog((await logInOrder(store)).map(upcastEvent));
  });
  afterAll(async () => {
    for (const r of relays) await r.stop();
    for (const p of prefixes) await jsm.streams.delete(publicStreamName(p)).catch(() => false);
    await nc.close();
    await tdb.drop();
  });

  const startRelay = (prefix: string) => {
    const r = startPublicRelay({
      db: tdb.db,
      databaseUrl: tdb.url,
      nc,
      prefix,
      arn: ARN,
      name: `public-${prefix}`,
      upcast: upcastEvent,
      pollIntervalMs: 50,
      standbyRetryMs: 100,
      batchSize: 40,
    });
    relays.push(r);
    return r;
  };
  const newPrefix = () => {
    const p = testPrefix("pub");
    prefixes.push(p);
    return p;
  };
  const published = async (prefix: string) =>
    (await streamMessages(jsm, publicStreamName(prefix))).map((m) => ({
      subject: m.subject,
      msgId: m.header?.get("Nats-Msg-Id"),
      event: PublicEvent.parse(m.json()) as AnyPublicEvent,
    }));

  const expectEachPublicEventOnceInOrder = async (prefix: string) => {
    const got = await published(prefix);
    expect(got.map((m) => m.event.id)).toEqual(expected.map((e) => e.id));
    expect(got.map((m) => m.event)).toEqual(expected);
    for (const m of got) {
      expect(m.msgId).toBe(m.event.id);
      expect(m.subject).toBe(publicSubject(prefix, m.event));
    }
    const last = new Map<string, number>();
    for (const { event } of got) {
      expect(event.data.version).toBeGreaterThan(last.get(event.subject) ?? 0);
      last.set(event.subject, event.data.version);
    }
  };

  it("publishes every public event once, in log order, versions increasing per resource", async () => {
    expect(expected.length).toBeGreaterThan(4 * TASKS);
    const prefix = newPrefix();
    const relay = startRelay(prefix);
    await relay.whenCaughtUp({ timeoutMs: 30_000 });
    await expectEachPublicEventOnceInOrder(prefix);
    expect(relay.status.duplicates).toBe(0);
  });

  it("killed mid-stream (SIGKILL before its checkpoint) and restarted: nothing twice, nothing missed", async () => {
    const prefix = newPrefix();
    const name = `public-${prefix}`;
    const hangAfter = 50;
    const child = spawn(process.execPath, ["--import", "tsx", RELAY_PROCESS], {
      env: {
        ...process.env,
        DATABASE_URL: tdb.url,
        NATS_URL: natsUrl(),
        PREFIX: prefix,
        RELAY_NAME: name,
        BATCH_SIZE: "500",
        HANG_AFTER: String(hangAfter),
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise((resolve) => child.on("exit", (c, s) => resolve(s ?? c)));
    try {
      await waitFor(
        `the child relay publishes ${hangAfter} public events`,
        () => stdout.includes(`published ${hangAfter}\n`) || child.exitCode !== null,
        30_000,
      );
      expect(stderr).toBe("");
      // The crash window: JetStream has them (and those in flight after them), the
      // checkpoint does not cover them.
      expect(await messageCount(jsm, publicStreamName(prefix))).toBeGreaterThanOrEqual(hangAfter);
      expect(await readStoredCheckpoint(tdb.db, name)).toEqual(START_OF_LOG);
    } finally {
      child.kill("SIGKILL");
    }
    expect(await exited).toBe("SIGKILL");

    const relay = startRelay(prefix);
    await relay.whenCaughtUp({ timeoutMs: 30_000 });
    // It re-published what the lost checkpoint did not cover; Nats-Msg-Id dropped those
    // (the acknowledged ones and any of those in flight that JetStream stored too).
    expect(relay.status.duplicates).toBeGreaterThanOrEqual(hangAfter);
    await expectEachPublicEventOnceInOrder(prefix);
  });

  it("a consumer killed mid-stream (in-flight work unacknowledged) and restarted misses nothing", async () => {
    const prefix = newPrefix();
    const relay = startRelay(prefix);
    await relay.whenCaughtUp({ timeoutMs: 30_000 });
    const taskEvents = expected.filter((e) => e.detailtype === "ECS Task State Change");
    const durable = "followtasks";
    const follow = (signal: AbortSignal, onChange: (c: TaskChange) => void) =>
      followTaskChanges({ nc, prefix, durable, ackWaitMs: 1_000, signal, onChange });

    // First run: killed while handling its 25th change, which it never acknowledges.
    const first: TaskChange[] = [];
    const stopFirst = new AbortController();
    await follow(stopFirst.signal, (c) => {
      first.push(c);
      if (first.length === 25) stopFirst.abort();
    });
    expect(first).toHaveLength(25);
    const inFlight = first.at(-1)!;

    // Second run, same durable consumer: resumes, and the unacknowledged change comes again.
    const second: TaskChange[] = [];
    const stopSecond = new AbortController();
    const handled = () => new Set([...first, ...second].map((c) => c.id));
    const run = follow(stopSecond.signal, (c) => void second.push(c));
    try {
      await waitFor(
        "every task change handled",
        () => taskEvents.every((e) => handled().has(e.id)),
        30_000,
      );
    } finally {
      stopSecond.abort();
      await run;
    }
    expect(second.map((c) => c.id)).toContain(inFlight.id);
    // None missing; acknowledged ones never come twice.
    expect([...handled()].sort()).toEqual(taskEvents.map((e) => e.id).sort());
    const acked = new Set(first.slice(0, -1).map((c) => c.id));
    expect(second.filter((c) => acked.has(c.id))).toEqual([]);
    // One line per change, per task in version order within each run.
    for (const run of [first, second]) {
      const last = new Map<string, number>();
      for (const c of run) {
        expect(c.version).toBeGreaterThan(last.get(c.taskArn) ?? 0);
        last.set(c.taskArn, c.version);
      }
    }
  });
});
