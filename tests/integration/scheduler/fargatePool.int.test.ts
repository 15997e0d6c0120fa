import { sql } from "kysely";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildApiServer } from "../../../services/api/server.js";
import { HeartbeatMonitor } from "../../../services/scheduler/agents/heartbeatMonitor.js";
import { FARGATE_CAPACITY_UNAVAILABLE } from "../../../services/scheduler/tasks/launchTasks.js";
import { LOST_POOL_INSTANCE_REASON } from "../../../services/scheduler/tasks/stopTasksOfLostPoolInstances.js";
import {
  CreateCapacityProvider,
  CreateCluster,
  PutClusterCapacityProviders,
  RegisterContainerInstance,
  RegisterTaskDefinition,
  ReportTaskState,
  RunTask,
  StartTask,
} from "../../../shared/commands/scheduler/index.js";
import { poolClusterName } from "../../../shared/domain/capacityProviders/managedPools.js";
import { EcsError } from "../../../shared/domain/errors.js";
import {
  startInProcessScheduler,
  type InProcessScheduler,
} from "../../fixtures/inProcessScheduler.js";
import { signedHeaders, testPrincipalDirectory } from "../../fixtures/iam.js";

const meta = { actor: "test", correlationId: "c" };

/** Events whose data contains these fields (jsonb containment). */
const dataHas = (fields: Record<string, unknown>) =>
  sql<boolean>`data @> ${JSON.stringify(fields)}::jsonb`;
const FARGATE_POOL = poolClusterName("FARGATE");
const SPOT_POOL = poolClusterName("FARGATE_SPOT");

const resources = (cpu: number, memory: number) => [
  { name: "CPU", type: "INTEGER" as const, integerValue: cpu },
  { name: "MEMORY", type: "INTEGER" as const, integerValue: memory },
  { name: "PORTS", type: "STRINGSET" as const, stringSetValue: [] },
  { name: "PORTS_UDP", type: "STRINGSET" as const, stringSetValue: [] },
];

interface DescribedTask {
  taskArn: string;
  launchType: string;
  capacityProviderName?: string;
  containerInstanceArn?: string;
  platformVersion?: string;
  platformFamily?: string;
  lastStatus: string;
  desiredStatus: string;
  stopCode?: string;
  stoppedReason?: string;
}

/**
 * FARGATE on the managed pools, over the real store and NATS: pool agents
 * register into their pool's reserved cluster, FARGATE tasks land there and
 * belong to their own clusters, and the pool stays out of every user cluster.
 */
describe("FARGATE and the managed pool", () => {
  let sched: InProcessScheduler;
  let app: ReturnType<typeof buildApiServer>;
  /** pool agent id → container instance ARN */
  const pool = new Map<string, string>();

  const ecs = async <T = Record<string, unknown>>(
    action: string,
    body: unknown,
  ): Promise<{ status: number; body: T }> => {
    const payload = JSON.stringify(body);
    const res = await app.inject({
      method: "POST",
      url: "/",
      headers: await signedHeaders(
        {
          "content-type": "application/x-amz-json-1.1",
          "x-amz-target": `AmazonEC2ContainerServiceV20141113.${action}`,
        },
        payload,
      ),
      payload,
    });
    return { status: res.statusCode, body: res.json<T>() };
  };

  const registerPoolInstance = async (cluster: string, id: string, zone: string) => {
    const { containerInstanceArn, clusterName } = await sched.commands.send(
      RegisterContainerInstance,
      {
        cluster,
        ec2InstanceId: id,
        availabilityZone: zone,
        totalResources: resources(4096, 8192),
      },
      meta,
    );
    expect(clusterName).toBe(cluster);
    pool.set(id, containerInstanceArn);
    return containerInstanceArn;
  };

  const describeTasks = async (cluster: string, tasks: readonly string[]) =>
    (await ecs<{ tasks: DescribedTask[] }>("DescribeTasks", { cluster, tasks })).body.tasks;

  const taskRows = (arns: readonly string[]) =>
    sched.tdb.db
      .selectFrom("tasks")
      .select(["task_arn", "cluster_name", "container_instance_arn", "capacity_provider_name"])
      .where("task_arn", "in", arns)
      .execute();

  const reservations = (instanceArn: string) =>
    sched.tdb.db
      .selectFrom("task_reservations")
      .select(["task_arn", "memory"])
      .where("container_instance_arn", "=", instanceArn)
      .execute();

  beforeAll(async () => {
    sched = await startInProcessScheduler("fargatepool");
    app = buildApiServer({
      db: sched.tdb.db,
      commands: sched.commands,
      arn: { region: "us-east-1", accountId: "000000000000" },
      log: pino({ level: "silent" }),
      maxBodyBytes: 1 << 20,
      ready: () => Promise.resolve({ ready: true, checks: {} }),
      iam: testPrincipalDirectory(),
    });
    const fargate = {
      requiresCompatibilities: ["FARGATE" as const],
      networkMode: "awsvpc" as const,
      containerDefinitions: [{ name: "app", image: "flotilla-test/busybox" }],
    };
    await sched.commands.send(
      RegisterTaskDefinition,
      { family: "fg", cpu: "256", memory: "512", ...fargate },
      meta,
    );
    await sched.commands.send(
      RegisterTaskDefinition,
      { family: "fg-huge", cpu: "4096", memory: "16384", ...fargate },
      meta,
    );
    await sched.commands.send(
      RegisterTaskDefinition,
      {
        family: "ec2only",
        containerDefinitions: [{ name: "app", image: "flotilla-test/busybox", memory: 128 }],
      },
      meta,
    );
    await sched.commands.send(
      CreateCluster,
      { clusterName: "apps", capacityProviders: ["FARGATE", "FARGATE_SPOT"] },
      meta,
    );
    await sched.commands.send(CreateCluster, { clusterName: "other" }, meta);
    await sched.commands.send(
      RegisterContainerInstance,
      { cluster: "apps", ec2InstanceId: "i-own", totalResources: resources(2048, 2048) },
      meta,
    );
    await registerPoolInstance(FARGATE_POOL, "fg-1", "z-a");
    await registerPoolInstance(FARGATE_POOL, "fg-2", "z-b");
    await registerPoolInstance(SPOT_POOL, "spot-1", "z-a");
    await registerPoolInstance(SPOT_POOL, "spot-2", "z-b");
  });
  afterAll(async () => {
    await app?.close();
    await sched?.stop();
  });

  it("pool agents register into the pool's cluster, which is no user cluster", async () => {
    const poolRows = await sched.tdb.db
      .selectFrom("container_instances")
      .select(["cluster_name", "ec2_instance_id"])
      .where("cluster_name", "in", [FARGATE_POOL, SPOT_POOL])
      .orderBy("ec2_instance_id")
      .execute();
    expect(poolRows.map((r) => r.ec2_instance_id)).toEqual(["fg-1", "fg-2", "spot-1", "spot-2"]);
    // No cluster was made for the pool: it is not listed, described, or usable as a cluster.
    const clusters = await sched.tdb.db.selectFrom("clusters").select("cluster_name").execute();
    expect(clusters.map((c) => c.cluster_name).sort()).toEqual(["apps", "other"]);
    const listed = await ecs<{ containerInstanceArns: string[] }>("ListContainerInstances", {
      cluster: "apps",
    });
    expect(listed.body.containerInstanceArns).toHaveLength(1);
    expect(listed.body.containerInstanceArns[0]).toContain("container-instance/apps/");
    // A pool instance named in a user cluster is MISSING there.
    const described = await ecs<{ containerInstances: unknown[]; failures: { reason: string }[] }>(
      "DescribeContainerInstances",
      { cluster: "apps", containerInstances: [pool.get("fg-1")!] },
    );
    expect(described.body.containerInstances).toEqual([]);
    expect(described.body.failures).toEqual([expect.objectContaining({ reason: "MISSING" })]);
    // The pool's own name is no cluster to the API.
    const asCluster = await ecs<{ __type: string }>("DescribeContainerInstances", {
      cluster: FARGATE_POOL,
      containerInstances: [pool.get("fg-1")!],
    });
    expect(asCluster.status).toBe(400);
    expect(asCluster.body.__type).toBe("ClusterNotFoundException");
  });

  it("RunTask launchType FARGATE: on the pool, in the user's cluster, described as ECS does", async () => {
    const run = await ecs<{ tasks: DescribedTask[]; failures: unknown[] }>("RunTask", {
      cluster: "apps",
      taskDefinition: "fg",
      launchType: "FARGATE",
      count: 2,
      networkConfiguration: {
        awsvpcConfiguration: { subnets: ["subnet-1"], assignPublicIp: "DISABLED" },
      },
    });
    expect(run.status).toBe(200);
    expect(run.body.failures).toEqual([]);
    expect(run.body.tasks).toHaveLength(2);
    for (const t of run.body.tasks) {
      expect(t.taskArn).toContain(":task/apps/");
      expect(t).toMatchObject({
        launchType: "FARGATE",
        platformVersion: "1.4.0",
        platformFamily: "Linux",
      });
      expect(t).not.toHaveProperty("containerInstanceArn");
      expect(t).not.toHaveProperty("capacityProviderName");
    }
    const arns = run.body.tasks.map((t) => t.taskArn);
    const rows = await taskRows(arns);
    const fargateInstances = [pool.get("fg-1")!, pool.get("fg-2")!];
    for (const r of rows) {
      expect(r.cluster_name).toBe("apps");
      expect(fargateInstances).toContain(r.container_instance_arn);
    }
    // Spread over the pool's zones: one task on each instance.
    expect(new Set(rows.map((r) => r.container_instance_arn)).size).toBe(2);
    // The task's stream is in its cluster; the reservation on the pool instance's stream.
    const taskId = arns[0]!.slice(arns[0]!.lastIndexOf("/") + 1);
    const streams = await sched.tdb.db
      .selectFrom("events")
      .select(["stream_id", "type"])
      .where("type", "in", ["TaskCreated", "TaskPlaced"])
      .where(dataHas({ taskArn: arns[0] }))
      .orderBy("position")
      .execute();
    const instanceOf = rows.find((r) => r.task_arn === arns[0])!.container_instance_arn;
    const instanceId = instanceOf.slice(instanceOf.lastIndexOf("/") + 1);
    expect(streams).toEqual([
      { stream_id: `instance:${FARGATE_POOL}/${instanceId}`, type: "TaskPlaced" },
      { stream_id: `task:apps/${taskId}`, type: "TaskCreated" },
    ]);
    // Nothing of it on the cluster's own instance.
    const own = await ecs<{ taskArns: string[] }>("ListTasks", {
      cluster: "apps",
      launchType: "FARGATE",
    });
    expect(own.body.taskArns.sort()).toEqual([...arns].sort());
    const ec2 = await ecs<{ taskArns: string[] }>("ListTasks", {
      cluster: "apps",
      launchType: "EC2",
    });
    expect(ec2.body.taskArns).toEqual([]);
  });

  it("a STOPPED report releases the task's reservation on the pool instance", async () => {
    const { taskArns } = await sched.commands.send(
      RunTask,
      { cluster: "other", taskDefinition: "fg", launchType: "FARGATE" },
      meta,
    );
    const [row] = await taskRows(taskArns);
    const instance = row!.container_instance_arn;
    expect((await reservations(instance)).map((r) => r.task_arn)).toContain(taskArns[0]);
    await sched.commands.send(
      ReportTaskState,
      {
        taskArn: taskArns[0]!,
        lastStatus: "STOPPED",
        containers: [{ name: "app", lastStatus: "STOPPED", exitCode: 0 }],
        stoppedAt: 1,
        at: 1,
      },
      meta,
    );
    expect((await reservations(instance)).map((r) => r.task_arn)).not.toContain(taskArns[0]);
    const released = await sched.tdb.db
      .selectFrom("events")
      .select("stream_id")
      .where("type", "=", "TaskResourcesReleased")
      .where(dataHas({ taskArn: taskArns[0] }))
      .execute();
    const id = instance.slice(instance.lastIndexOf("/") + 1);
    expect(released).toEqual([{ stream_id: `instance:${FARGATE_POOL}/${id}` }]);
    const [described] = await describeTasks("other", taskArns);
    expect(described).toMatchObject({ lastStatus: "STOPPED", launchType: "FARGATE" });
  });

  it("FARGATE base 1 weight 1 + FARGATE_SPOT weight 3 at 9 tasks: 3 + 6, each on its pool", async () => {
    const run = await ecs<{ tasks: DescribedTask[]; failures: unknown[] }>("RunTask", {
      cluster: "apps",
      taskDefinition: "fg",
      count: 9,
      capacityProviderStrategy: [
        { capacityProvider: "FARGATE", base: 1, weight: 1 },
        { capacityProvider: "FARGATE_SPOT", weight: 3 },
      ],
    });
    expect(run.status).toBe(200);
    expect(run.body.failures).toEqual([]);
    const arns = run.body.tasks.map((t) => t.taskArn);
    const described = await describeTasks("apps", arns);
    const byProvider = (p: string) => described.filter((t) => t.capacityProviderName === p);
    expect(byProvider("FARGATE")).toHaveLength(3);
    expect(byProvider("FARGATE_SPOT")).toHaveLength(6);
    expect(described.every((t) => t.launchType === "FARGATE")).toBe(true);
    const rows = await taskRows(arns);
    for (const r of rows) {
      const poolName = r.capacity_provider_name === "FARGATE" ? FARGATE_POOL : SPOT_POOL;
      expect(r.container_instance_arn).toContain(`container-instance/${poolName}/`);
    }
  });

  it("refuses what ECS refuses: EC2-only definitions, launch type with strategy, unassociated providers, placement", async () => {
    const ec2only = await ecs<{ __type: string; message: string }>("RunTask", {
      cluster: "apps",
      taskDefinition: "ec2only",
      launchType: "FARGATE",
    });
    expect(ec2only.status).toBe(400);
    expect(ec2only.body).toMatchObject({
      __type: "InvalidParameterException",
      message: "Task definition does not support launch_type FARGATE.",
    });
    await expect(
      sched.commands.send(
        RunTask,
        {
          cluster: "apps",
          taskDefinition: "fg",
          launchType: "FARGATE",
          capacityProviderStrategy: [{ capacityProvider: "FARGATE", weight: 1 }],
        },
        meta,
      ),
    ).rejects.toThrow(
      "Specifying both a launch type and capacity provider strategy is not supported.",
    );
    // `other` has no capacity providers: a strategy naming FARGATE_SPOT is refused...
    const unassociated = sched.commands.send(
      RunTask,
      {
        cluster: "other",
        taskDefinition: "fg",
        capacityProviderStrategy: [{ capacityProvider: "FARGATE_SPOT", weight: 1 }],
      },
      meta,
    );
    await expect(unassociated).rejects.toBeInstanceOf(EcsError);
    await expect(unassociated).rejects.toThrow(/not associated with the cluster \(FARGATE_SPOT\)/);
    // ...while launchType FARGATE needs no association (the test above ran on `other`).
    await expect(
      sched.commands.send(
        RunTask,
        {
          cluster: "apps",
          taskDefinition: "fg",
          launchType: "FARGATE",
          placementStrategy: [{ type: "binpack", field: "memory" }],
        },
        meta,
      ),
    ).rejects.toThrow("Placement strategies are not supported with FARGATE launch type.");
  });

  it("no pool capacity for the task: Fargate's capacity failure, no pool instance named", async () => {
    const run = await sched.commands.send(
      RunTask,
      { cluster: "apps", taskDefinition: "fg-huge", launchType: "FARGATE", count: 2 },
      meta,
    );
    expect(run.taskArns).toEqual([]);
    expect(run.failures).toEqual([
      { reason: FARGATE_CAPACITY_UNAVAILABLE },
      { reason: FARGATE_CAPACITY_UNAVAILABLE },
    ]);
  });

  it("StartTask never places on a pool instance", async () => {
    const start = await sched.commands.send(
      StartTask,
      { cluster: "apps", taskDefinition: "fg", containerInstances: [pool.get("fg-1")!] },
      meta,
    );
    expect(start.taskArns).toEqual([]);
    expect(start.failures).toEqual([{ arn: pool.get("fg-1"), reason: "MISSING" }]);
  });

  it("neither launch type nor strategy: the cluster's default strategy", async () => {
    await sched.commands.send(CreateCluster, { clusterName: "spotty" }, meta);
    await sched.commands.send(
      PutClusterCapacityProviders,
      {
        cluster: "spotty",
        capacityProviders: ["FARGATE_SPOT"],
        defaultCapacityProviderStrategy: [{ capacityProvider: "FARGATE_SPOT", weight: 1 }],
      },
      meta,
    );
    const run = await sched.commands.send(
      RunTask,
      { cluster: "spotty", taskDefinition: "fg", count: 2 },
      meta,
    );
    expect(run.failures).toEqual([]);
    const described = await describeTasks("spotty", run.taskArns);
    expect(described.map((t) => [t.launchType, t.capacityProviderName])).toEqual([
      ["FARGATE", "FARGATE_SPOT"],
      ["FARGATE", "FARGATE_SPOT"],
    ]);
    // An explicit launch type still wins over the default.
    const ec2 = await sched.commands.send(
      RunTask,
      { cluster: "spotty", taskDefinition: "fg", launchType: "FARGATE" },
      meta,
    );
    const [t] = await describeTasks("spotty", ec2.taskArns);
    expect(t).toMatchObject({ launchType: "FARGATE" });
    expect(t).not.toHaveProperty("capacityProviderName");
  });

  it("an instance-based provider: only the cluster's instances of its Auto Scaling group", async () => {
    await sched.commands.send(CreateCluster, { clusterName: "grouped" }, meta);
    const register = async (id: string, memory: number, group?: string) =>
      (
        await sched.commands.send(
          RegisterContainerInstance,
          {
            cluster: "grouped",
            ec2InstanceId: id,
            totalResources: resources(4096, memory),
            attributes:
              group === undefined ? [] : [{ name: "flotilla.autoscaling-group", value: group }],
          },
          meta,
        )
      ).containerInstanceArn;
    const inGroup = await register("g-1", 1024, "web-asg");
    await register("g-2", 8192); // roomier, but in no group
    await register("g-3", 8192, "batch-asg");
    await sched.commands.send(
      CreateCapacityProvider,
      {
        name: "web-cp",
        autoScalingGroupProvider: {
          autoScalingGroupArn:
            "arn:aws:autoscaling:us-east-1:000000000000:autoScalingGroup:0b1c:autoScalingGroupName/web-asg",
        },
      },
      meta,
    );
    await sched.commands.send(
      PutClusterCapacityProviders,
      { cluster: "grouped", capacityProviders: ["web-cp"], defaultCapacityProviderStrategy: [] },
      meta,
    );
    const run = await sched.commands.send(
      RunTask,
      {
        cluster: "grouped",
        taskDefinition: "ec2only",
        count: 3,
        capacityProviderStrategy: [{ capacityProvider: "web-cp", weight: 1 }],
      },
      meta,
    );
    expect(run.failures).toEqual([]);
    const described = await describeTasks("grouped", run.taskArns);
    for (const t of described) {
      expect(t).toMatchObject({
        launchType: "EC2",
        capacityProviderName: "web-cp",
        containerInstanceArn: inGroup,
      });
    }
    // Past the group's capacity (1024 MiB, 128 each: 8 fit), a placement failure, not another group.
    const more = await sched.commands.send(
      RunTask,
      {
        cluster: "grouped",
        taskDefinition: "ec2only",
        count: 6,
        capacityProviderStrategy: [{ capacityProvider: "web-cp", weight: 1 }],
      },
      meta,
    );
    expect(more.taskArns).toHaveLength(5);
    expect(more.failures).toEqual([expect.objectContaining({ reason: "RESOURCE:MEMORY" })]);
  });

  it("node loss of the FARGATE pool stops its tasks, each in its own cluster", async () => {
    const inApps = await sched.commands.send(
      RunTask,
      { cluster: "apps", taskDefinition: "fg", launchType: "FARGATE", count: 2 },
      meta,
    );
    const inOther = await sched.commands.send(
      RunTask,
      { cluster: "other", taskDefinition: "fg", launchType: "FARGATE", count: 2 },
      meta,
    );
    expect(inApps.failures).toEqual([]);
    expect(inOther.failures).toEqual([]);
    const spotTasks = (
      await sched.tdb.db
        .selectFrom("tasks")
        .select("task_arn")
        .where("capacity_provider_name", "=", "FARGATE_SPOT")
        .where("cluster_name", "=", "apps")
        .where("last_status", "!=", "STOPPED")
        .execute()
    ).map((r) => r.task_arn);
    expect(spotTasks).toHaveLength(6);

    // A monitor whose clock is past the timeout: every instance but the FARGATE pool's heartbeats.
    let now = Date.now();
    const monitor = new HeartbeatMonitor(
      { ...sched.scheduler.ctx, clock: () => new Date(now) },
      { timeoutMs: 1_000, checkEveryMs: 1_000_000 },
    );
    now += 5_000;
    const alive = await sched.tdb.db
      .selectFrom("container_instances")
      .select("container_instance_arn")
      .where("cluster_name", "!=", FARGATE_POOL)
      .execute();
    for (const a of alive) monitor.heartbeat(a.container_instance_arn);
    await monitor.check();

    const lostInstances = await sched.tdb.db
      .selectFrom("container_instances")
      .select(["agent_connected", "cluster_name"])
      .where("agent_connected", "=", false)
      .execute();
    expect(lostInstances).toEqual([
      { agent_connected: false, cluster_name: FARGATE_POOL },
      { agent_connected: false, cluster_name: FARGATE_POOL },
    ]);
    for (const [cluster, arns] of [
      ["apps", inApps.taskArns],
      ["other", inOther.taskArns],
    ] as const) {
      const described = await describeTasks(cluster, arns);
      expect(described).toHaveLength(2);
      for (const t of described) {
        expect(t).toMatchObject({
          lastStatus: "STOPPED",
          desiredStatus: "STOPPED",
          stopCode: "TerminationNotice",
          stoppedReason: LOST_POOL_INSTANCE_REASON,
        });
      }
      // Recorded in the task's own cluster's stream.
      for (const arn of arns) {
        const stopped = await sched.tdb.db
          .selectFrom("events")
          .select("stream_id")
          .where("type", "=", "TaskStateChanged")
          .where(dataHas({ taskArn: arn, lastStatus: "STOPPED" }))
          .execute();
        expect(stopped).toEqual([
          { stream_id: `task:${cluster}/${arn.slice(arn.lastIndexOf("/") + 1)}` },
        ]);
      }
    }
    // Every reservation on the lost pool instances is released; the spot pool's tasks run on.
    for (const id of ["fg-1", "fg-2"]) expect(await reservations(pool.get(id)!)).toEqual([]);
    const spotStill = await sched.tdb.db
      .selectFrom("tasks")
      .select("task_arn")
      .where("task_arn", "in", spotTasks)
      .where("last_status", "!=", "STOPPED")
      .execute();
    expect(spotStill).toHaveLength(6);
    // A second pass finds nothing more to stop (idempotent sweep).
    const before = await sched.tdb.db
      .selectFrom("events")
      .select((eb) => eb.fn.countAll<string>().as("n"))
      .executeTakeFirstOrThrow();
    await monitor.check();
    const after = await sched.tdb.db
      .selectFrom("events")
      .select((eb) => eb.fn.countAll<string>().as("n"))
      .executeTakeFirstOrThrow();
    expect(Number(after.n)).toBe(Number(before.n));
  });
});
