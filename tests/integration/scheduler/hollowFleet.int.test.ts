import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { agentSettingsFromConfig } from "../../../services/agent/agent.js";
import { loadAgentConfig } from "../../../services/agent/config.js";
import { startHollowFleet } from "../../../services/agent/hollowFleet.js";
import {
  CreateCluster,
  RegisterTaskDefinition,
  RunTask,
  StopTask,
} from "../../../shared/commands/scheduler/index.js";
import { silentLogger } from "../../../shared/log/index.js";
import {
  startInProcessScheduler,
  type InProcessScheduler,
} from "../../fixtures/inProcessScheduler.js";
import { waitFor } from "../../fixtures/waitFor.js";

const meta = { actor: "test", correlationId: "c" };

/**
 * Many hollow agents in one process (the scale benchmark's node fleet) against
 * the real scheduler over real NATS and Postgres: same agent code, simulated containers.
 */
describe("a hollow fleet in one process", () => {
  let sched: InProcessScheduler;
  let fleet: ReturnType<typeof startHollowFleet>;
  const AGENTS = 40;

  beforeAll(async () => {
    sched = await startInProcessScheduler("hollow", { heartbeatTimeoutMs: 10_000 });
    await sched.commands.send(CreateCluster, { clusterName: "hollow" }, meta);
    const config = loadAgentConfig({
      FLOTILLA_CLUSTER: "hollow",
      HEARTBEAT_INTERVAL_MS: "1000",
      RECONCILE_INTERVAL_MS: "500",
      STATS_INTERVAL_MS: "60000",
      FLOTILLA_AGENT_RUNTIME: "hollow",
    });
    fleet = startHollowFleet({
      nc: sched.nc,
      prefix: sched.prefix,
      count: AGENTS,
      settings: agentSettingsFromConfig(config),
      runtime: { cpus: 2, memoryMiB: 4096, startLatencyMs: { min: 5, max: 30 } },
      log: silentLogger,
    });
    await fleet.registered();
  });
  afterAll(async () => {
    await fleet?.stop();
    await sched?.stop();
  });

  it("registers every hollow host in its zone and runs tasks on them to RUNNING and back", async () => {
    const instances = await sched.tdb.db
      .selectFrom("container_instances")
      .select(["availability_zone", "agent_connected"])
      .where("cluster_name", "=", "hollow")
      .execute();
    expect(instances).toHaveLength(AGENTS);
    expect(new Set(instances.map((i) => i.availability_zone)).size).toBe(3);

    await sched.commands.send(
      RegisterTaskDefinition,
      { family: "svc", containerDefinitions: [{ name: "app", image: "anything", memory: 256 }] },
      meta,
    );
    const launched: string[] = [];
    for (let i = 0; i < 5; i++) {
      const run = await sched.commands.send(
        RunTask,
        { cluster: "hollow", taskDefinition: "svc", count: 10 },
        meta,
      );
      expect(run.failures).toEqual([]);
      launched.push(...run.taskArns);
    }
    const count = async (status: string) =>
      (
        await sched.tdb.db
          .selectFrom("tasks")
          .select((e) => e.fn.countAll<number>().as("n"))
          .where("last_status", "=", status)
          .executeTakeFirstOrThrow()
      ).n;
    await waitFor(async () => Number(await count("RUNNING")) === 50, "50 tasks RUNNING");
    const spread = await sched.tdb.db
      .selectFrom("tasks")
      .select("container_instance_arn")
      .distinct()
      .execute();
    expect(spread.length).toBeGreaterThan(10);

    for (const task of launched.slice(0, 20)) await sched.commands.send(StopTask, { task }, meta);
    await waitFor(async () => Number(await count("STOPPED")) === 20, "20 tasks STOPPED");
    const stopped = await sched.tdb.db
      .selectFrom("tasks")
      .select(["stop_code", "containers"])
      .where("last_status", "=", "STOPPED")
      .execute();
    for (const t of stopped) expect(t.stop_code).toBe("UserInitiated");
    expect(await sched.tdb.db.selectFrom("task_reservations").selectAll().execute()).toHaveLength(
      30,
    );
  });
});
