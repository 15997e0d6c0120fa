import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { agentSettingsFromConfig } from "../../../../services/agent/agent.js";
import { loadAgentConfig } from "../../../../services/agent/config.js";
import { startHollowFleet } from "../../../../services/agent/hollowFleet.js";
import { formatTask } from "../../../../services/api/ecs/read/taskQueries.js";
import {
  CreateCluster,
  RegisterTaskDefinition,
  RunTask,
  StopTask,
} from "../../../../shared/commands/scheduler/index.js";
import { silentLogger } from "../../../../shared/log/index.js";
import {
  startInProcessScheduler,
  type InProcessScheduler,
} from "../../../fixtures/inProcessScheduler.js";
import { waitFor } from "../../../fixtures/waitFor.js";

const meta = { actor: "test", correlationId: "c" };
const CLUSTER = "eni";

/**
 * An awsvpc task's ENI from the agent's report to DescribeTasks: a hollow agent (the real
 * agent code) against the real scheduler over NATS and Postgres; the task projection keeps
 * the latest attachment and the API shows it and each container's network interface.
 */
describe("an awsvpc task's attachment, agent to DescribeTasks", () => {
  let sched: InProcessScheduler;
  let fleet: ReturnType<typeof startHollowFleet>;

  beforeAll(async () => {
    sched = await startInProcessScheduler("eni", { heartbeatTimeoutMs: 10_000 });
    await sched.commands.send(CreateCluster, { clusterName: CLUSTER }, meta);
    const config = loadAgentConfig({
      FLOTILLA_CLUSTER: CLUSTER,
      HEARTBEAT_INTERVAL_MS: "1000",
      RECONCILE_INTERVAL_MS: "300",
      STATS_INTERVAL_MS: "60000",
      FLOTILLA_AGENT_RUNTIME: "hollow",
    });
    fleet = startHollowFleet({
      nc: sched.nc,
      prefix: sched.prefix,
      count: 1,
      settings: agentSettingsFromConfig(config),
      runtime: { cpus: 2, memoryMiB: 4096 },
      log: silentLogger,
    });
    await fleet.registered();
  });
  afterAll(async () => {
    await fleet?.stop();
    await sched?.stop();
  });

  const row = async (taskArn: string) =>
    sched.tdb.db
      .selectFrom("tasks")
      .selectAll()
      .where("task_arn", "=", taskArn)
      .executeTakeFirstOrThrow();

  it("shows the task's address as an ATTACHED ENI while it runs, DELETED once stopped", async () => {
    await sched.commands.send(
      RegisterTaskDefinition,
      {
        family: "vpc",
        networkMode: "awsvpc",
        containerDefinitions: [
          { name: "app", image: "anything", memory: 128 },
          { name: "side", image: "anything", memory: 64, essential: false },
        ],
      },
      meta,
    );
    const run = await sched.commands.send(
      RunTask,
      { cluster: CLUSTER, taskDefinition: "vpc", count: 1 },
      meta,
    );
    expect(run.failures).toEqual([]);
    const [taskArn = ""] = run.taskArns;

    await waitFor(async () => (await row(taskArn)).last_status === "RUNNING", "task RUNNING");
    const described = formatTask(
      { region: "us-east-1", accountId: "000000000000" },
      await row(taskArn),
    );
    const [eni] = described.attachments as {
      id: string;
      type: string;
      status: string;
      details: { name: string; value: string }[];
    }[];
    expect(eni).toMatchObject({ type: "ElasticNetworkInterface", status: "ATTACHED" });
    const ip = eni?.details.find((d) => d.name === "privateIPv4Address")?.value;
    expect(ip).toMatch(/^10\.\d+\.\d+\.\d+$/);
    expect(eni?.details.map((d) => d.name)).toEqual([
      "subnetId",
      "networkInterfaceId",
      "macAddress",
      "privateDnsName",
      "privateIPv4Address",
    ]);
    const containers = described.containers as { name: string; networkInterfaces: unknown[] }[];
    expect(containers).toHaveLength(2);
    for (const c of containers) {
      expect(c.networkInterfaces).toEqual([{ attachmentId: eni?.id, privateIpv4Address: ip }]);
    }

    await sched.commands.send(StopTask, { cluster: CLUSTER, task: taskArn }, meta);
    await waitFor(async () => (await row(taskArn)).last_status === "STOPPED", "task STOPPED");
    const stopped = formatTask(
      { region: "us-east-1", accountId: "000000000000" },
      await row(taskArn),
    );
    expect(stopped.attachments).toMatchObject([{ id: eni?.id, status: "DELETED" }]);
  });
});
