import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findClusters } from "../../../services/api/ecs/read/clusterQueries.js";
import { Manifest } from "../../../shared/agent/protocol.js";
import { agentSubject } from "../../../shared/bus/index.js";
import {
  CreateCluster,
  RegisterContainerInstance,
  RegisterTaskDefinition,
  RunTask,
  UpdateContainerInstancesState,
} from "../../../shared/commands/scheduler/index.js";
import { upcastEvent } from "../../../shared/events/index.js";
import { ALL_PROJECTIONS, rebuildProjections } from "../../../shared/projections/index.js";
import {
  startInProcessScheduler,
  type InProcessScheduler,
} from "../../fixtures/inProcessScheduler.js";

const meta = { actor: "test", correlationId: "c" };

const resources = (cpu: number, memory: number) => [
  { name: "CPU", type: "INTEGER" as const, integerValue: cpu },
  { name: "MEMORY", type: "INTEGER" as const, integerValue: memory },
  { name: "PORTS", type: "STRINGSET" as const, stringSetValue: [] },
  { name: "PORTS_UDP", type: "STRINGSET" as const, stringSetValue: [] },
];

describe("UpdateContainerInstancesState: DRAINING over the real store and projections", () => {
  let sched: InProcessScheduler;

  beforeAll(async () => {
    sched = await startInProcessScheduler("draining");
  });
  afterAll(async () => {
    await sched?.stop();
  });

  const instanceRow = (arn: string) =>
    sched.tdb.db
      .selectFrom("container_instances")
      .selectAll()
      .where("container_instance_arn", "=", arn)
      .executeTakeFirstOrThrow();
  /** DescribeClusters' row: its counts are summed from the instances at read time. */
  const clusterRow = async () => {
    const [row] = await findClusters(sched.tdb.db, ["drain"]);
    if (!row) throw new Error("no cluster drain");
    return row;
  };
  const manifest = async (agentId: string, containerInstanceArn: string) => {
    const msg = await sched.nc.request(
      agentSubject(sched.prefix, agentId, "manifest"),
      JSON.stringify({ containerInstanceArn }),
      { timeout: 5000 },
    );
    return Manifest.parse(msg.json<{ result: unknown }>().result);
  };

  it("drains an instance: projected, counted, kept on re-registration, no new tasks, tasks kept", async () => {
    await sched.commands.send(CreateCluster, { clusterName: "drain" }, meta);
    const register = () =>
      sched.commands.send(
        RegisterContainerInstance,
        {
          cluster: "drain",
          ec2InstanceId: "i-drain1",
          totalResources: resources(1024, 2048),
          attributes: [],
        },
        meta,
      );
    const { containerInstanceArn: arn } = await register();
    await sched.commands.send(
      RegisterTaskDefinition,
      {
        family: "sleeper",
        containerDefinitions: [{ name: "app", image: "flotilla-test/busybox", memory: 128 }],
      },
      meta,
    );
    const before = await sched.commands.send(
      RunTask,
      { cluster: "drain", taskDefinition: "sleeper" },
      meta,
    );
    expect(before.taskArns).toHaveLength(1);

    const missing = arn.replace(/[0-9a-f]{32}$/, "0".repeat(32));
    const reply = await sched.commands.send(
      UpdateContainerInstancesState,
      { cluster: "drain", containerInstances: [arn, missing], status: "DRAINING" },
      meta,
    );
    expect(reply.containerInstanceArns).toEqual([arn]);
    expect(reply.failures).toEqual([expect.objectContaining({ arn: missing, reason: "MISSING" })]);

    expect((await instanceRow(arn)).status).toBe("DRAINING");
    // ECS counts DRAINING instances as registered.
    expect((await clusterRow()).registered_container_instances_count).toBe(1);

    // No new task lands on it…
    const during = await sched.commands.send(
      RunTask,
      { cluster: "drain", taskDefinition: "sleeper" },
      meta,
    );
    expect(during.taskArns).toEqual([]);
    expect(during.failures).toHaveLength(1);
    // …but the one already there keeps running: the agent still sees an active manifest.
    const m = await manifest("i-drain1", arn);
    expect(m.active).toBe(true);
    expect(m.tasks.map((t) => [t.taskArn, t.desiredStatus])).toEqual([
      [before.taskArns[0], "RUNNING"],
    ]);

    // An agent restart re-registers, with changed resources even: still DRAINING.
    await register();
    await sched.commands.send(
      RegisterContainerInstance,
      {
        cluster: "drain",
        ec2InstanceId: "i-drain1",
        totalResources: resources(2048, 4096),
        attributes: [],
      },
      meta,
    );
    expect((await instanceRow(arn)).status).toBe("DRAINING");

    // Setting it again changes nothing; ACTIVE brings it back and it takes tasks again.
    const versionBefore = (await instanceRow(arn)).version;
    await sched.commands.send(
      UpdateContainerInstancesState,
      { cluster: "drain", containerInstances: [arn], status: "DRAINING" },
      meta,
    );
    expect((await instanceRow(arn)).version).toBe(versionBefore);
    await sched.commands.send(
      UpdateContainerInstancesState,
      { cluster: "drain", containerInstances: [arn], status: "ACTIVE" },
      meta,
    );
    expect((await instanceRow(arn)).status).toBe("ACTIVE");
    const after = await sched.commands.send(
      RunTask,
      { cluster: "drain", taskDefinition: "sleeper" },
      meta,
    );
    expect(after.taskArns).toHaveLength(1);

    // A rebuild from the log produces exactly the live rows.
    const report = await rebuildProjections(sched.tdb.db, {
      projections: ALL_PROJECTIONS,
      upcast: upcastEvent,
    });
    expect(report.differences).toEqual([]);
  });
});
