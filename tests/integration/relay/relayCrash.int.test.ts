import { spawn, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";
import { jetstreamManager, type JetStreamManager } from "@nats-io/jetstream";
import type { NatsConnection } from "@nats-io/nats-core";
import { connect } from "@nats-io/transport-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eventStreamName } from "../../../shared/bus/subjects.js";
import { EventStore, START_OF_LOG } from "../../../shared/eventstore/index.js";
import { readStoredCheckpoint, startRelay, type Relay } from "../../../shared/relay/index.js";
import { createTestDatabase, type TestDatabase } from "../../fixtures/database.js";
import { natsUrl, testPrefix } from "../../fixtures/nats.js";
import {
  deleteStream,
  logInOrder,
  messageCount,
  meta,
  streamEvents,
  waitFor,
} from "./jetstreamHelpers.js";

const RELAY_PROCESS = fileURLToPath(new URL("./relayProcess.ts", import.meta.url));

/** Runs the relay in a child process; resolves with it and a view of what it printed. */
const spawnRelay = (env: Record<string, string>) => {
  const child = spawn(process.execPath, ["--import", "tsx", RELAY_PROCESS], {
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const output = { stdout: "", stderr: "" };
  child.stdout.on("data", (d: Buffer) => (output.stdout += d.toString()));
  child.stderr.on("data", (d: Buffer) => (output.stderr += d.toString()));
  const exited = new Promise<NodeJS.Signals | number | null>((resolve) =>
    child.on("exit", (code, signal) => resolve(signal ?? code)),
  );
  return { child, output, exited };
};

const kill9 = async (p: { child: ChildProcess; exited: Promise<unknown> }) => {
  p.child.kill("SIGKILL");
  return p.exited;
};

describe("relay crash safety", () => {
  let tdb: TestDatabase;
  let store: EventStore;
  let nc: NatsConnection;
  let jsm: JetStreamManager;
  const streams: string[] = [];
  const relays: Relay[] = [];
  const children: ChildProcess[] = [];

  beforeAll(async () => {
    tdb = await createTestDatabase("relay_crash");
    store = new EventStore(tdb.db);
    nc = await connect({ servers: natsUrl() });
    jsm = await jetstreamManager(nc);
    for (let i = 0; i < 200; i++) {
      await store.append(`cluster:c${i % 7}`, [{ type: "Thing", data: { i } }], "any", meta);
    }
  });
  afterAll(async () => {
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill("SIGKILL");
    for (const r of relays) await r.stop();
    for (const s of streams) await deleteStream(jsm, s);
    await nc.close();
    await tdb.drop();
  });

  const expectEachEventOnce = async (prefix: string) => {
    const log = await logInOrder(store);
    const relayed = await streamEvents(jsm, eventStreamName(prefix));
    expect(relayed.map((e) => e.eventId)).toEqual(log.map((e) => e.eventId));
    expect(new Set(relayed.map((e) => e.eventId)).size).toBe(relayed.length);
  };

  it("relay killed mid-stream and restarted: JetStream holds each event exactly once", async () => {
    const prefix = testPrefix("rc");
    const name = `relay-${prefix}`;
    streams.push(eventStreamName(prefix));
    const hangAfter = 120;
    const proc = spawnRelay({
      DATABASE_URL: tdb.url,
      NATS_URL: natsUrl(),
      PREFIX: prefix,
      RELAY_NAME: name,
      BATCH_SIZE: "500",
      HANG_AFTER: String(hangAfter),
    });
    children.push(proc.child);
    await waitFor(
      `the child relay publishes ${hangAfter} events`,
      () => proc.output.stdout.includes(`published ${hangAfter}\n`) || proc.child.exitCode !== null,
      30_000,
    );
    expect(proc.output.stderr).toBe("");
    // The crash window: JetStream has the events, the checkpoint does not cover them.
    expect(await messageCount(jsm, eventStreamName(prefix))).toBe(hangAfter);
    expect(await readStoredCheckpoint(tdb.db, name)).toEqual(START_OF_LOG);
    expect(await kill9(proc)).toBe("SIGKILL");

    // Its session died with it, so the lock is free and a new relay takes over at once.
    const r = startRelay({
      db: tdb.db,
      databaseUrl: tdb.url,
      nc,
      prefix,
      name,
      pollIntervalMs: 50,
      standbyRetryMs: 100,
    });
    relays.push(r);
    await r.whenCaughtUp({ timeoutMs: 20_000 });
    expect(r.status.published).toBe(200);
    expect(r.status.duplicates).toBe(hangAfter);
    await expectEachEventOnce(prefix);
    expect(await messageCount(jsm, eventStreamName(prefix))).toBe(200);
  });

  it("relay SIGKILLed at an arbitrary moment between batches, then restarted: still exactly once", async () => {
    const prefix = testPrefix("rc");
    const name = `relay-${prefix}`;
    streams.push(eventStreamName(prefix));
    const proc = spawnRelay({
      DATABASE_URL: tdb.url,
      NATS_URL: natsUrl(),
      PREFIX: prefix,
      RELAY_NAME: name,
      BATCH_SIZE: "15",
    });
    children.push(proc.child);
    // Kill it as soon as it reports an arbitrary event acknowledged, mid-batch or not.
    const killAt = 30 + Math.floor(Math.random() * 140);
    await waitFor(
      `the child relay publishes ${killAt} events`,
      () => proc.output.stdout.includes(`published ${killAt}\n`) || proc.child.exitCode !== null,
      30_000,
    );
    expect(await kill9(proc)).toBe("SIGKILL");
    expect(proc.output.stderr).toBe("");
    expect(await messageCount(jsm, eventStreamName(prefix))).toBeGreaterThanOrEqual(killAt);

    const r = startRelay({
      db: tdb.db,
      databaseUrl: tdb.url,
      nc,
      prefix,
      name,
      pollIntervalMs: 50,
      standbyRetryMs: 100,
    });
    relays.push(r);
    await r.whenCaughtUp({ timeoutMs: 20_000 });
    await expectEachEventOnce(prefix);
  });
});
