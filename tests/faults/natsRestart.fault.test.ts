import { type ECSClient } from "@aws-sdk/client-ecs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TestSystem } from "../fixtures/system.js";
import { waitFor } from "../fixtures/waitFor.js";
import {
  duplicateContainers,
  healthUrls,
  probeWrite,
  report,
  waitForReadyz,
  waitForRelayCaughtUp,
  waitForWrite,
} from "./fixtures/faultProbes.js";
import { startSystemWithService } from "./fixtures/systemWithService.js";
import { checkInvariants, expectNothingLost } from "./fixtures/invariants.js";
import { createPrivateNats, type PrivateNats } from "./fixtures/privateNats.js";
import { missingAcknowledged, startWriteLoad } from "./fixtures/writeLoad.js";

const CLUSTER = "default";
const SERVICE = "load";

/**
 * NATS killed and restarted (docs/reliability.md): a private nats-server is killed with SIGKILL
 * while writes stream in, and started again on the same port and JetStream store. Commands
 * resume without restarting any service, the relay publishes what was appended meanwhile, and
 * no task is run twice.
 */
describe("fault: NATS killed and restarted", () => {
  let nats: PrivateNats | undefined;
  let sys: TestSystem | undefined;
  let ecs: ECSClient;
  let taskDefinition: string;

  beforeAll(async () => {
    nats = await createPrivateNats("natsrestart", 1);
    ({ sys, ecs, taskDefinition } = await startSystemWithService("natsrestart", SERVICE, {
      natsUrl: nats.url,
    }));
  });

  afterAll(async () => {
    await sys?.stop();
    await nats?.destroy();
  });

  it("resumes commands, catches the relay up and runs each assignment once", async () => {
    const s = sys!;
    const node = nats!.nodes[0]!;
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
      await waitFor(() => load.attempts.filter((a) => a.ok).length >= 4, "writes before the fault");

      await node.kill();
      const downAt = Date.now();
      report(
        "nats-restart",
        "api /readyz 503 after kill",
        await waitForReadyz(urls.api, 503, "api"),
      );
      // A write while NATS is gone fails with an error the SDK retries.
      const during = await probeWrite(ecs, "outage");
      // Not buffered until the command timeout: refused at once, retryable, naming the bus.
      expect(during, JSON.stringify(during)).toMatchObject({
        ok: false,
        status: 503,
        name: "ServiceUnavailableException",
      });
      expect(during.message).toMatch(/NATS/);
      report("nats-restart", "failed write during the outage", during.ms);
      await waitFor(() => Date.now() - downAt >= 3_000, "a few seconds of outage", 10_000, 100);

      await node.start();
      const upAt = Date.now();
      const [apiReadyMs, schedulerReadyMs, writeMs] = await Promise.all([
        waitForReadyz(urls.api, 200, "api"),
        waitForReadyz(urls.scheduler, 200, "scheduler"),
        waitForWrite(ecs, "after"),
      ]);
      report("nats-restart", "api /readyz 200 after restart", apiReadyMs);
      report("nats-restart", "scheduler /readyz 200 after restart", schedulerReadyMs);
      report("nats-restart", "first successful command after restart", writeMs);
      report("nats-restart", "outage (kill to start)", upAt - downAt);
      await waitFor(
        () => load.attempts.some((a) => a.ok && a.startedAt > upAt),
        "the load's writes to go through again",
      );
      report(
        "nats-restart",
        "relay caught up after restart",
        Date.now() - upAt + (await waitForRelayCaughtUp(s.database.url)),
      );
    } finally {
      await load.stop();
    }

    const relayRetries = s.output.filter((l) => /relay (batch|session) failed/.test(l)).length;
    const reconnects = s.output.filter((l) => /nats reconnect"/.test(l)).length;
    console.log(`[fault] nats-restart: ${reconnects} reconnects, ${relayRetries} relay retries`);
    for (const p of Object.values(s.system.processes)) expect(p.exitInfo).toBeNull();
    expect(Object.values(s.system.processes).map((p) => p.pid)).toEqual(pids);
    expect(load.unretryable).toEqual([]);
    const failed = load.attempts.filter((a) => !a.ok);
    console.log(
      `[fault] nats-restart: load ${load.attempts.length} attempts, ${failed.length} failed and retried ` +
        `(${[...new Set(failed.map((a) => `${a.error!.status} ${a.error!.name}`))].join(", ")})`,
    );
    expect(await missingAcknowledged(ecs, CLUSTER, SERVICE, load.acknowledged)).toEqual([]);
    expectNothingLost(
      await checkInvariants(
        {
          databaseUrl: s.database.url,
          natsUrl: nats!.url,
          prefix: s.prefix,
          agentIds: [s.agentId],
        },
        { convergeTimeoutMs: 30_000 },
      ),
    );
    // Each assignment ran once: one container per task and container name.
    expect(await duplicateContainers(s.agentId)).toEqual([]);
  });
});
