import { spawn, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { eventStreamName } from "../../../shared/bus/subjects.js";
import { START_OF_LOG } from "../../../shared/eventstore/index.js";
import { readStoredCheckpoint } from "../../../shared/relay/index.js";
import { natsUrl, testPrefix } from "../../fixtures/nats.js";
import { logInOrder, messageCount, streamEvents, waitFor } from "./jetstreamHelpers.js";
import { useRelayTestBed } from "./relayTestBed.js";

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
  const bed = useRelayTestBed("relay_crash", { seed: { events: 200, clusters: 7 } });
  const children: ChildProcess[] = [];
  // Registered after the test bed's hooks, so it runs before the bed's teardown.
  afterAll(() => {
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill("SIGKILL");
  });

  /** The relay in a child process of its own, named `relay-<prefix>`. */
  const spawnChildRelay = (prefix: string, env: { BATCH_SIZE: string; HANG_AFTER?: string }) => {
    bed.trackStream(prefix);
    const proc = spawnRelay({
      DATABASE_URL: bed.tdb.url,
      NATS_URL: natsUrl(),
      PREFIX: prefix,
      RELAY_NAME: `relay-${prefix}`,
      ...env,
    });
    children.push(proc.child);
    return proc;
  };

  const waitForPublished = (proc: ReturnType<typeof spawnRelay>, n: number) =>
    waitFor(
      `the child relay publishes ${n} events`,
      () => proc.output.stdout.includes(`published ${n}\n`) || proc.child.exitCode !== null,
      30_000,
    );

  /** A relay in this process under the killed child's name, caught up. */
  const restartRelay = async (prefix: string) => {
    const r = bed.startRelay(prefix, { pollIntervalMs: 50, standbyRetryMs: 100 });
    await r.whenCaughtUp({ timeoutMs: 20_000 });
    return r;
  };

  const expectEachEventOnce = async (prefix: string) => {
    const log = await logInOrder(bed.store);
    const relayed = await streamEvents(bed.jsm, eventStreamName(prefix));
    expect(relayed.map((e) => e.eventId)).toEqual(log.map((e) => e.eventId));
    expect(new Set(relayed.map((e) => e.eventId)).size).toBe(relayed.length);
  };

  it("relay killed mid-stream and restarted: JetStream holds each event exactly once", async () => {
    const prefix = testPrefix("rc");
    const hangAfter = 120;
    const proc = spawnChildRelay(prefix, { BATCH_SIZE: "500", HANG_AFTER: String(hangAfter) });
    await waitForPublished(proc, hangAfter);
    expect(proc.output.stderr).toBe("");
    // The crash window: JetStream has the events (and those in flight after them),
    // the checkpoint does not cover them.
    expect(await messageCount(bed.jsm, eventStreamName(prefix))).toBeGreaterThanOrEqual(hangAfter);
    expect(await readStoredCheckpoint(bed.tdb.db, `relay-${prefix}`)).toEqual(START_OF_LOG);
    expect(await kill9(proc)).toBe("SIGKILL");

    // Its session died with it, so the lock is free and a new relay takes over at once.
    const r = await restartRelay(prefix);
    expect(r.status.published).toBe(200);
    // Those acknowledged, and any of those in flight after them that JetStream stored too.
    expect(r.status.duplicates).toBeGreaterThanOrEqual(hangAfter);
    await expectEachEventOnce(prefix);
    expect(await messageCount(bed.jsm, eventStreamName(prefix))).toBe(200);
  });

  it("relay SIGKILLed at an arbitrary moment between batches, then restarted: still exactly once", async () => {
    const prefix = testPrefix("rc");
    const proc = spawnChildRelay(prefix, { BATCH_SIZE: "15" });
    // Kill it as soon as it reports an arbitrary event acknowledged, mid-batch or not.
    const killAt = 30 + Math.floor(Math.random() * 140);
    await waitForPublished(proc, killAt);
    expect(await kill9(proc)).toBe("SIGKILL");
    expect(proc.output.stderr).toBe("");
    expect(await messageCount(bed.jsm, eventStreamName(prefix))).toBeGreaterThanOrEqual(killAt);

    await restartRelay(prefix);
    await expectEachEventOnce(prefix);
  });
});
