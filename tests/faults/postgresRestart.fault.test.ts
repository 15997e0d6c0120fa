import { DescribeClustersCommand, type ECSClient } from "@aws-sdk/client-ecs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { natsUrl } from "../fixtures/nats.js";
import type { TestSystem } from "../fixtures/system.js";
import { waitFor } from "../fixtures/waitFor.js";
import {
  healthUrls,
  probeWrite,
  report,
  waitForReadyz,
  waitForWrite,
  type ProbeResult,
} from "./fixtures/faultProbes.js";
import { startSystemWithService } from "./fixtures/systemWithService.js";
import { checkInvariants, expectNothingLost } from "./fixtures/invariants.js";
import {
  createPrivatePostgres,
  privateTestDatabase,
  type PrivatePostgres,
} from "./fixtures/privatePostgres.js";
import { missingAcknowledged, sdkRetries, startWriteLoad } from "./fixtures/writeLoad.js";

const CLUSTER = "default";
const SERVICE = "load";
/** How long Postgres stays down. */
const OUTAGE_MS = 4_000;

/**
 * Postgres restarted under load (docs/reliability.md): a private Postgres is stopped (fast
 * shutdown) for a few seconds while writes stream in through the SDK, then started again.
 * During the outage writes fail at once with a retryable 503 and /readyz answers 503; after
 * it every process recovers on its own (none is restarted) and every acknowledged write is
 * still there.
 */
describe("fault: Postgres restarted under load", () => {
  let server: PrivatePostgres | undefined;
  let sys: TestSystem | undefined;
  let ecs: ECSClient;
  let taskDefinition: string;

  beforeAll(async () => {
    server = await createPrivatePostgres("pgrestart");
    ({ sys, ecs, taskDefinition } = await startSystemWithService("pgrestart", SERVICE, {
      database: await privateTestDatabase(server),
    }));
  });

  afterAll(async () => {
    await sys?.stop();
    await server?.destroy();
  });

  it("fails writes fast with a retryable 503, flips /readyz, and recovers by itself", async () => {
    const s = sys!;
    const pg = server!;
    const urls = healthUrls(s);
    const pids = Object.values(s.system.processes).map((p) => p.pid);
    const load = startWriteLoad({
      ecs,
      cluster: CLUSTER,
      taskDefinition,
      service: SERVICE,
      label: "load",
      maxMs: 90_000,
    });
    try {
      // Some writes go through before the fault.
      await waitFor(() => load.attempts.filter((a) => a.ok).length >= 4, "writes before the fault");

      await pg.stop();
      const downAt = Date.now();
      const apiNotReadyMs = await waitForReadyz(urls.api, 503, "api");
      const schedulerNotReadyMs = await waitForReadyz(urls.scheduler, 503, "scheduler");
      report("postgres-restart", "api /readyz 503 after stop", apiNotReadyMs);
      report("postgres-restart", "scheduler /readyz 503 after stop", schedulerNotReadyMs);

      // Single-attempt writes and a read while it is down: each ends at once, retryable.
      const probes: ProbeResult[] = [];
      let read: { status?: number; name?: string } | undefined;
      for (let i = 0; Date.now() - downAt < OUTAGE_MS; i++) {
        probes.push(await probeWrite(ecs, `outage-${i}`));
        if (!read) {
          read = await ecs.send(new DescribeClustersCommand({ clusters: [CLUSTER] })).then(
            () => ({}),
            (e: { name?: string; $metadata?: { httpStatusCode?: number } }) => ({
              name: e.name,
              status: e.$metadata?.httpStatusCode,
            }),
          );
        }
      }
      expect(probes.length).toBeGreaterThan(0);
      for (const probe of probes) {
        expect(probe, JSON.stringify(probe)).toMatchObject({
          ok: false,
          status: 503,
          name: "ServiceUnavailableException",
        });
        // Not the command timeout's "did not answer in time": the store's own outage.
        expect(probe.message).toMatch(/store \(Postgres\) is unavailable/);
      }
      expect(read).toMatchObject({ status: 503, name: "ServiceUnavailableException" });
      report(
        "postgres-restart",
        "slowest failed write during the outage",
        Math.max(...probes.map((p) => p.ms)),
      );

      await pg.start();
      const upAt = Date.now();
      const [apiReadyMs, schedulerReadyMs, writeMs] = await Promise.all([
        waitForReadyz(urls.api, 200, "api"),
        waitForReadyz(urls.scheduler, 200, "scheduler"),
        waitForWrite(ecs, "after"),
      ]);
      report("postgres-restart", "api /readyz 200 after start", apiReadyMs);
      report("postgres-restart", "scheduler /readyz 200 after start", schedulerReadyMs);
      report("postgres-restart", "first successful write after start", writeMs);
      report("postgres-restart", "outage (stop to start)", upAt - downAt);
      await waitFor(
        () => load.attempts.some((a) => a.ok && a.startedAt > upAt),
        "the load's writes to go through again",
      );
    } finally {
      await load.stop();
    }

    // Nothing was restarted: the same processes recovered.
    for (const p of Object.values(s.system.processes)) expect(p.exitInfo).toBeNull();
    expect(Object.values(s.system.processes).map((p) => p.pid)).toEqual(pids);
    // The load saw only errors the SDK retries, and every acknowledged write is there.
    expect(load.unretryable).toEqual([]);
    const failed = load.attempts.filter((a) => !a.ok);
    expect(failed.every((a) => sdkRetries(a.error!))).toBe(true);
    console.log(
      `[fault] postgres-restart: load ${load.attempts.length} attempts, ${failed.length} failed and retried ` +
        `(${[...new Set(failed.map((a) => `${a.error!.status} ${a.error!.name}`))].join(", ")})`,
    );
    expect(await missingAcknowledged(ecs, CLUSTER, SERVICE, load.acknowledged)).toEqual([]);
    const started = Date.now();
    expectNothingLost(
      await checkInvariants(
        {
          databaseUrl: s.database.url,
          natsUrl: natsUrl(),
          prefix: s.prefix,
          agentIds: [s.agentId],
        },
        { convergeTimeoutMs: 30_000 },
      ),
    );
    report("postgres-restart", "invariants hold after", Date.now() - started);
  });
});
