import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  CreateCapacityProvider,
  CreateCluster,
  CreateService,
  DeleteCapacityProvider,
  PutClusterCapacityProviders,
  RegisterContainerInstance,
  RegisterTaskDefinition,
  RunTask,
  TagResource,
  UpdateCapacityProvider,
} from "../../../shared/commands/scheduler/index.js";
import { describeCluster, findClusters } from "../../../services/api/ecs/read/clusterQueries.js";
import { poolClusterName } from "../../../shared/domain/capacityProviders/managedPools.js";
import { EcsError } from "../../../shared/domain/errors.js";
import { ALL_PROJECTIONS, rebuildProjections } from "../../../shared/projections/index.js";
import {
  startInProcessScheduler,
  type InProcessScheduler,
} from "../../fixtures/inProcessScheduler.js";

const meta = { actor: "test", correlationId: "c" };
const asg = (name: string, id = "0000") =>
  `arn:aws:autoscaling:us-east-1:000000000000:autoScalingGroup:${id}:autoScalingGroupName/${name}`;
const CP_ARN = "arn:aws:ecs:us-east-1:000000000000:capacity-provider/web-cp";
const resources = (cpu: number, memory: number) => [
  { name: "CPU", type: "INTEGER" as const, integerValue: cpu },
  { name: "MEMORY", type: "INTEGER" as const, integerValue: memory },
  { name: "PORTS", type: "STRINGSET" as const, stringSetValue: [] },
  { name: "PORTS_UDP", type: "STRINGSET" as const, stringSetValue: [] },
];

const refusal = async (p: Promise<unknown>): Promise<EcsError> => {
  try {
    await p;
  } catch (err) {
    if (err instanceof EcsError) return err;
    throw err;
  }
  throw new Error("expected an EcsError");
};

/** The capacity provider commands over the real event store, projections and NATS. */
describe("capacity providers and a cluster's providers, on the scheduler", () => {
  let sched: InProcessScheduler;

  beforeAll(async () => {
    sched = await startInProcessScheduler("capprov");
  });
  afterAll(async () => {
    await sched?.stop();
  });

  const providerRow = (name: string) =>
    sched.tdb.db
      .selectFrom("capacity_providers")
      .selectAll()
      .where("name", "=", name)
      .executeTakeFirst();
  const clusterRow = (name: string) =>
    sched.tdb.db
      .selectFrom("clusters")
      .select(["capacity_providers", "default_capacity_provider_strategy"])
      .where("cluster_name", "=", name)
      .executeTakeFirstOrThrow();

  it("creates a provider: its row, its tags, its group taken", async () => {
    const reply = await sched.commands.send(
      CreateCapacityProvider,
      {
        name: "web-cp",
        autoScalingGroupProvider: {
          autoScalingGroupArn: asg("web-asg"),
          managedScaling: { status: "ENABLED", targetCapacity: 90 },
        },
        tags: [{ key: "team", value: "core" }],
      },
      meta,
    );
    expect(reply).toEqual({ name: "web-cp", capacityProviderArn: CP_ARN });
    const row = await providerRow("web-cp");
    expect(row).toMatchObject({
      capacity_provider_arn: CP_ARN,
      status: "ACTIVE",
      auto_scaling_group_arn: asg("web-asg"),
      auto_scaling_group_provider: {
        autoScalingGroupArn: asg("web-asg"),
        managedScaling: { status: "ENABLED", targetCapacity: 90, instanceWarmupPeriod: 300 },
        managedTerminationProtection: "DISABLED",
        managedDraining: "ENABLED",
      },
      update_status: null,
    });
    const tags = await sched.tdb.db
      .selectFrom("resource_tags")
      .select(["key", "value"])
      .where("resource_arn", "=", CP_ARN)
      .execute();
    expect(tags).toEqual([{ key: "team", value: "core" }]);

    // The same group under another ARN (another id, same name) is the same instances.
    const taken = await refusal(
      sched.commands.send(
        CreateCapacityProvider,
        {
          name: "other-cp",
          autoScalingGroupProvider: { autoScalingGroupArn: asg("web-asg", "9") },
        },
        meta,
      ),
    );
    expect(taken.type).toBe("ClientException");
    expect(taken.message).toContain("already being used by another capacity provider");

    const again = await refusal(
      sched.commands.send(
        CreateCapacityProvider,
        { name: "web-cp", autoScalingGroupProvider: { autoScalingGroupArn: asg("x-asg") } },
        meta,
      ),
    );
    expect(again.message).toContain("The specified capacity provider already exists");
  });

  it("updates a provider by ARN and tags it through TagResource", async () => {
    await sched.commands.send(
      UpdateCapacityProvider,
      { name: CP_ARN, autoScalingGroupProvider: { managedScaling: { targetCapacity: 50 } } },
      meta,
    );
    const row = await providerRow("web-cp");
    expect(row?.update_status).toBe("UPDATE_COMPLETE");
    expect(row?.auto_scaling_group_provider).toMatchObject({
      managedScaling: { status: "ENABLED", targetCapacity: 50 },
    });
    await sched.commands.send(
      TagResource,
      { resourceArn: CP_ARN, tags: [{ key: "env", value: "prod" }] },
      meta,
    );
    const keys = await sched.tdb.db
      .selectFrom("resource_tags")
      .select("key")
      .where("resource_arn", "=", CP_ARN)
      .orderBy("key")
      .execute();
    expect(keys.map((k) => k.key)).toEqual(["env", "team"]);
  });

  it("CreateCluster and PutClusterCapacityProviders store checked providers and strategies", async () => {
    await sched.commands.send(
      CreateCluster,
      {
        clusterName: "prod",
        capacityProviders: [CP_ARN],
        defaultCapacityProviderStrategy: [{ capacityProvider: "web-cp", weight: 1 }],
      },
      meta,
    );
    expect(await clusterRow("prod")).toEqual({
      capacity_providers: ["web-cp"],
      default_capacity_provider_strategy: [{ capacityProvider: "web-cp", weight: 1 }],
    });

    await sched.commands.send(CreateCluster, { clusterName: "demo" }, meta);
    const reply = await sched.commands.send(
      PutClusterCapacityProviders,
      {
        cluster: "demo",
        capacityProviders: ["FARGATE", "FARGATE_SPOT"],
        defaultCapacityProviderStrategy: [
          { capacityProvider: "FARGATE", base: 1, weight: 1 },
          { capacityProvider: "FARGATE_SPOT", weight: 3 },
        ],
      },
      meta,
    );
    expect(reply.clusterName).toBe("demo");
    expect(await clusterRow("demo")).toEqual({
      capacity_providers: ["FARGATE", "FARGATE_SPOT"],
      default_capacity_provider_strategy: [
        { capacityProvider: "FARGATE", base: 1, weight: 1 },
        { capacityProvider: "FARGATE_SPOT", weight: 3 },
      ],
    });

    const unknown = await refusal(
      sched.commands.send(
        PutClusterCapacityProviders,
        { cluster: "demo", capacityProviders: ["nope"], defaultCapacityProviderStrategy: [] },
        meta,
      ),
    );
    expect(unknown.type).toBe("InvalidParameterException");
    expect(unknown.message).toContain("(nope) does not exist");

    const missingCluster = await refusal(
      sched.commands.send(
        PutClusterCapacityProviders,
        { cluster: "ghost", capacityProviders: [], defaultCapacityProviderStrategy: [] },
        meta,
      ),
    );
    expect(missingCluster.type).toBe("ClusterNotFoundException");
  });

  it("refuses to remove a provider a service of the cluster uses", async () => {
    await sched.commands.send(
      RegisterTaskDefinition,
      {
        family: "web",
        containerDefinitions: [{ name: "app", image: "flotilla-test/busybox", memory: 64 }],
      },
      meta,
    );
    await sched.commands.send(
      CreateService,
      {
        cluster: "prod",
        serviceName: "web",
        taskDefinition: "web",
        desiredCount: 0,
        capacityProviderStrategy: [{ capacityProvider: "web-cp", weight: 1 }],
      },
      meta,
    );
    const inUse = await refusal(
      sched.commands.send(
        PutClusterCapacityProviders,
        { cluster: "prod", capacityProviders: ["FARGATE"], defaultCapacityProviderStrategy: [] },
        meta,
      ),
    );
    expect(inUse.type).toBe("ResourceInUseException");
    expect(inUse.message).toBe(
      "capacityProviders: The specified capacity provider (web-cp) is in use and cannot be removed.",
    );
  });

  it("refuses to delete a provider a cluster has, and deletes it once no cluster has", async () => {
    const associated = await refusal(
      sched.commands.send(DeleteCapacityProvider, { capacityProvider: "web-cp" }, meta),
    );
    expect(associated.type).toBe("ClientException");
    expect(associated.message).toContain("associated with cluster: prod");

    const reserved = await refusal(
      sched.commands.send(DeleteCapacityProvider, { capacityProvider: "FARGATE" }, meta),
    );
    expect(reserved.message).toBe(
      "The FARGATE capacity provider is reserved and cannot be deleted.",
    );

    await sched.commands.send(CreateCluster, { clusterName: "spare" }, meta);
    await sched.commands.send(
      CreateCapacityProvider,
      { name: "spare-cp", autoScalingGroupProvider: { autoScalingGroupArn: asg("spare-asg") } },
      meta,
    );
    await sched.commands.send(
      PutClusterCapacityProviders,
      { cluster: "spare", capacityProviders: ["spare-cp"], defaultCapacityProviderStrategy: [] },
      meta,
    );
    await sched.commands.send(
      PutClusterCapacityProviders,
      { cluster: "spare", capacityProviders: [], defaultCapacityProviderStrategy: [] },
      meta,
    );
    await sched.commands.send(DeleteCapacityProvider, { capacityProvider: "spare-cp" }, meta);
    expect(await providerRow("spare-cp")).toMatchObject({
      status: "INACTIVE",
      update_status: "DELETE_COMPLETE",
    });
    // Its group is free again, and so is its name.
    await sched.commands.send(
      CreateCapacityProvider,
      { name: "spare-cp", autoScalingGroupProvider: { autoScalingGroupArn: asg("spare-asg") } },
      meta,
    );
    expect((await providerRow("spare-cp"))?.status).toBe("ACTIVE");
  });

  it("DescribeClusters counts a cluster's FARGATE tasks (on a pool's instance) apart from EC2 ones", async () => {
    await sched.commands.send(
      RegisterContainerInstance,
      { cluster: "demo", ec2InstanceId: "i-own", totalResources: resources(4096, 8192) },
      meta,
    );
    await sched.commands.send(
      RegisterContainerInstance,
      {
        cluster: poolClusterName("FARGATE"),
        ec2InstanceId: "fg-1",
        totalResources: resources(4096, 8192),
      },
      meta,
    );
    await sched.commands.send(
      RegisterTaskDefinition,
      {
        family: "fg",
        cpu: "256",
        memory: "512",
        requiresCompatibilities: ["FARGATE"],
        networkMode: "awsvpc",
        containerDefinitions: [{ name: "app", image: "flotilla-test/busybox" }],
      },
      meta,
    );
    await sched.commands.send(
      RunTask,
      { cluster: "demo", taskDefinition: "fg", launchType: "FARGATE", count: 2 },
      meta,
    );
    await sched.commands.send(
      RunTask,
      { cluster: "demo", taskDefinition: "web", launchType: "EC2", count: 1 },
      meta,
    );
    const [row] = await findClusters(sched.tdb.db, ["demo"]);
    const cluster = await describeCluster(sched.tdb.db, row!, ["STATISTICS"]);
    expect(cluster).toMatchObject({
      registeredContainerInstancesCount: 1,
      runningTasksCount: 0,
      pendingTasksCount: 3,
    });
    const stats = Object.fromEntries(
      (cluster.statistics as { name: string; value: string }[]).map((s) => [s.name, s.value]),
    );
    expect(stats).toMatchObject({ pendingFargateTasksCount: "2", pendingEC2TasksCount: "1" });
    // The pool's reserved cluster has no cluster row to count into.
    expect(await findClusters(sched.tdb.db, [poolClusterName("FARGATE")])).toEqual([]);
  });

  it("a rebuild from the log gives the same capacity provider and cluster rows", async () => {
    const report = await rebuildProjections(sched.tdb.db, { projections: ALL_PROJECTIONS });
    expect(report.tables).toContain("capacity_providers");
    expect(report.differences).toEqual([]);
  });
});
