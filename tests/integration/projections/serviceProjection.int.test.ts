import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findClusters } from "../../../services/api/ecs/read/clusterQueries.js";
import { serviceStream } from "../../../shared/domain/streams.js";
import {
  EventStore,
  type EventMetadata,
  type ExpectedVersion,
} from "../../../shared/eventstore/index.js";
import { newEvent, upcastEvent } from "../../../shared/events/index.js";
import { ALL_PROJECTIONS, rebuildProjections } from "../../../shared/projections/index.js";
import { SERVICE_EVENTS_KEPT } from "../../../shared/projections/serviceProjection.js";
import { createTestDatabase, type TestDatabase } from "../../fixtures/database.js";

const metadata: EventMetadata = { actor: "AKIDTEST", correlationId: "corr", commandId: "cmd" };
const PREFIX = "arn:aws:ecs:eu-west-1:123456789012";
const SERVICE = `${PREFIX}:service/demo/web`;
const TD = (rev: number) => `${PREFIX}:task-definition/web:${rev}`;
const task = (id: string) => `${PREFIX}:task/demo/${id}`;
const T0 = 1_772_323_200;
const base = { clusterName: "demo", serviceArn: SERVICE };

const serviceCreated = (deploymentId: string, createdAt: number) =>
  newEvent("ServiceCreated", {
    ...base,
    serviceName: "web",
    taskDefinitionArn: TD(1),
    desiredCount: 2,
    launchType: "EC2",
    schedulingStrategy: "REPLICA",
    deploymentConfiguration: {
      minimumHealthyPercent: 100,
      maximumPercent: 200,
      deploymentCircuitBreaker: { enable: true, rollback: true },
    },
    placementConstraints: [{ type: "distinctInstance" }],
    placementStrategy: [{ type: "spread", field: "attribute:ecs.availability-zone" }],
    healthCheckGracePeriodSeconds: 30,
    loadBalancers: [],
    tags: [{ key: "team", value: "web" }],
    propagateTags: "SERVICE",
    enableECSManagedTags: true,
    requestDigest: "digest",
    deploymentId,
    createdBy: "arn:aws:iam::123456789012:user/test",
    createdAt,
  });

describe("service projection", () => {
  let tdb: TestDatabase;
  let store: EventStore;
  let version: ExpectedVersion = "noStream";
  const append = async (...events: ReturnType<typeof newEvent>[]) => {
    const result = await store.append(serviceStream("demo", "web"), events, version, metadata);
    version = result.nextExpectedVersion;
  };
  const service = () =>
    tdb.db.selectFrom("services").selectAll().where("service_arn", "=", SERVICE).executeTakeFirst();
  const messages = async () =>
    (
      await tdb.db
        .selectFrom("service_events")
        .select("message")
        .where("service_arn", "=", SERVICE)
        .orderBy("position", "desc")
        .orderBy("seq", "desc")
        .execute()
    ).map((r) => r.message);
  // Counted at read time, as DescribeClusters counts them (no longer kept in the cluster's row).
  const activeServices = async () =>
    (await findClusters(tdb.db, ["demo"]))[0]!.active_services_count;

  beforeAll(async () => {
    tdb = await createTestDatabase("svcproj");
    store = new EventStore(tdb.db, { projections: ALL_PROJECTIONS, upcast: upcastEvent });
    await store.append(
      "cluster:demo",
      [
        newEvent("ClusterCreated", {
          clusterName: "demo",
          clusterArn: `${PREFIX}:cluster/demo`,
          settings: [{ name: "containerInsights", value: "disabled" }],
          capacityProviders: [],
          defaultCapacityProviderStrategy: [],
          tags: [],
          createdAt: "2026-03-01T00:00:00.000Z",
        }),
      ],
      "noStream",
      metadata,
    );
  });
  afterAll(async () => tdb.drop());

  it("follows a service through a deployment, a rollback, deletion and re-creation", async () => {
    await append(serviceCreated("ecs-svc/1", T0 + 0.25));
    let row = await service();
    expect(row).toMatchObject({
      cluster_name: "demo",
      service_name: "web",
      status: "ACTIVE",
      desired_count: 2,
      task_definition_arn: TD(1),
      launch_type: "EC2",
      scheduling_strategy: "REPLICA",
      placement_constraints: [{ type: "distinctInstance" }],
      health_check_grace_period_seconds: 30,
      propagate_tags: "SERVICE",
      enable_ecs_managed_tags: true,
      created_at: new Date((T0 + 0.25) * 1000),
      version: 1,
    });
    expect(row!.deployments).toEqual([
      {
        id: "ecs-svc/1",
        status: "PRIMARY",
        taskDefinition: TD(1),
        desiredCount: 2,
        rolloutState: "IN_PROGRESS",
        rolloutStateReason: "ECS deployment ecs-svc/1 in progress.",
        failedTasks: 0,
        createdAt: T0 + 0.25,
        updatedAt: T0 + 0.25,
        launchType: "EC2",
      },
    ]);
    expect(
      await tdb.db
        .selectFrom("resource_tags")
        .select(["key", "value"])
        .where("resource_arn", "=", SERVICE)
        .execute(),
    ).toEqual([{ key: "team", value: "web" }]);
    expect(await activeServices()).toBe(1);

    await append(
      newEvent("ServiceTasksStarted", {
        ...base,
        deploymentId: "ecs-svc/1",
        taskArns: [task("a1"), task("a2")],
        at: T0 + 1,
      }),
      newEvent("ServiceDeploymentCompleted", { ...base, deploymentId: "ecs-svc/1", at: T0 + 20 }),
      newEvent("ServiceSteadyStateReached", { ...base, at: T0 + 21 }),
      newEvent("ServiceUpdated", {
        ...base,
        taskDefinitionArn: TD(2),
        deploymentId: "ecs-svc/2",
        updatedAt: T0 + 30,
      }),
      newEvent("ServiceTasksStarted", {
        ...base,
        deploymentId: "ecs-svc/2",
        taskArns: [task("b1")],
        at: T0 + 31,
      }),
      newEvent("ServiceTasksStopped", {
        ...base,
        reason: "unhealthy",
        taskArns: [task("b1")],
        at: T0 + 40,
      }),
      newEvent("ServiceDeploymentFailed", {
        ...base,
        deploymentId: "ecs-svc/2",
        reason: "tasks failed to start",
        failedTasks: 3,
        rollback: { deploymentId: "ecs-svc/3", taskDefinitionArn: TD(1) },
        at: T0 + 50,
      }),
    );
    row = await service();
    expect(row!.task_definition_arn).toBe(TD(1));
    expect(
      row!.deployments.map((d) => [d.id, d.status, d.desiredCount, d.rolloutState, d.failedTasks]),
    ).toEqual([
      ["ecs-svc/3", "PRIMARY", 2, "IN_PROGRESS", 0],
      ["ecs-svc/2", "ACTIVE", 0, "FAILED", 3],
      ["ecs-svc/1", "ACTIVE", 0, "COMPLETED", 0],
    ]);
    expect(row!.deployments[0]!.rolloutStateReason).toBe(
      "ECS deployment circuit breaker: rolling back to deploymentId ecs-svc/3.",
    );
    expect(await messages()).toEqual([
      "(service web) rolling back to deployment ecs-svc/3.",
      "(service web) (deployment ecs-svc/2) deployment failed: tasks failed to start.",
      "(service web) has stopped 1 running tasks: (task b1).",
      "(service web) (task b1) failed container health checks.",
      "(service web) has started 1 tasks: (task b1).",
      "(service web) has reached a steady state.",
      "(service web) (deployment ecs-svc/1) deployment completed.",
      "(service web) has started 2 tasks: (task a1) (task a2).",
    ]);

    await append(
      newEvent("ServiceDeploymentsRetired", {
        ...base,
        deploymentIds: ["ecs-svc/1", "ecs-svc/2"],
        at: T0 + 60,
      }),
      newEvent("ServiceUpdated", { ...base, desiredCount: 3, updatedAt: T0 + 70 }),
    );
    row = await service();
    expect(row!.desired_count).toBe(3);
    expect(row!.deployments.map((d) => [d.id, d.desiredCount])).toEqual([["ecs-svc/3", 3]]);

    // Messages are trimmed to the newest 100, oldest first out.
    for (let batch = 0; batch < 4; batch++) {
      await append(
        ...Array.from({ length: 30 }, (_, i) =>
          newEvent("ServiceTasksStarted", {
            ...base,
            deploymentId: "ecs-svc/3",
            taskArns: [task(`c${batch * 30 + i}`)],
            at: T0 + 100 + batch * 30 + i,
          }),
        ),
      );
    }
    const kept = await messages();
    expect(kept).toHaveLength(SERVICE_EVENTS_KEPT);
    expect(kept[0]).toBe("(service web) has started 1 tasks: (task c119).");
    expect(kept.at(-1)).toBe("(service web) has started 1 tasks: (task c20).");

    await append(newEvent("ServiceDeleted", { ...base, force: true, at: T0 + 300 }));
    row = await service();
    expect(row).toMatchObject({ status: "DRAINING", desired_count: 0 });
    expect(row!.deployments.map((d) => d.desiredCount)).toEqual([0]);
    expect(await activeServices()).toBe(0);
    await append(newEvent("ServiceInactivated", { ...base, at: T0 + 310 }));
    expect((await service())!.status).toBe("INACTIVE");

    // The name is free again: a new ServiceCreated on the same stream starts over.
    await append(serviceCreated("ecs-svc/4", T0 + 400));
    row = await service();
    expect(row).toMatchObject({ status: "ACTIVE", desired_count: 2, version });
    expect(row!.deployments.map((d) => d.id)).toEqual(["ecs-svc/4"]);
    expect(await messages()).toEqual([]);
    expect(await activeServices()).toBe(1);
    await append(
      newEvent("ServiceTaskPlacementFailed", {
        ...base,
        message:
          "(service web) was unable to place a task because no container instance met all of its requirements.",
        at: T0 + 401,
      }),
    );

    const report = await rebuildProjections(tdb.db, {
      projections: ALL_PROJECTIONS,
      upcast: upcastEvent,
    });
    expect(report.tables).toEqual(expect.arrayContaining(["services", "service_events"]));
    expect(report.differences).toEqual([]);
  });

  it("a service through capacity providers: its strategy, no launch type, and the way back", async () => {
    const SPOT = `${PREFIX}:service/demo/spot`;
    const strategy = [
      { capacityProvider: "FARGATE", weight: 1, base: 1 },
      { capacityProvider: "FARGATE_SPOT", weight: 3, base: 0 },
    ];
    const created = serviceCreated("ecs-svc/10", T0 + 500);
    const { launchType: _none, ...data } = created.data;
    let at: ExpectedVersion = "noStream";
    const appendSpot = async (...events: ReturnType<typeof newEvent>[]) => {
      at = (await store.append(serviceStream("demo", "spot"), events, at, metadata))
        .nextExpectedVersion;
    };
    await appendSpot({
      ...created,
      data: { ...data, serviceName: "spot", serviceArn: SPOT, capacityProviderStrategy: strategy },
    });
    const row = () =>
      tdb.db.selectFrom("services").selectAll().where("service_arn", "=", SPOT).executeTakeFirst();
    let r = await row();
    expect(r).toMatchObject({ launch_type: null, capacity_provider_strategy: strategy });
    expect(r!.deployments[0]).toMatchObject({ capacityProviderStrategy: strategy });
    expect(r!.deployments[0]).not.toHaveProperty("launchType");

    await appendSpot(
      newEvent("ServiceUpdated", {
        clusterName: "demo",
        serviceArn: SPOT,
        capacityProviderStrategy: [],
        launchType: "FARGATE",
        taskDefinitionArn: TD(1),
        deploymentId: "ecs-svc/11",
        updatedAt: T0 + 510,
      }),
      newEvent("ServiceTasksStopped", {
        clusterName: "demo",
        serviceArn: SPOT,
        reason: "spot-interruption",
        taskArns: [task("s1")],
        at: T0 + 520,
      }),
    );
    r = await row();
    expect(r).toMatchObject({ launch_type: "FARGATE", capacity_provider_strategy: [] });
    expect(r!.deployments.map((d) => [d.id, d.launchType, d.capacityProviderStrategy])).toEqual([
      ["ecs-svc/11", "FARGATE", undefined],
      ["ecs-svc/10", undefined, strategy],
    ]);
    const spotMessages = await tdb.db
      .selectFrom("service_events")
      .select("message")
      .where("service_arn", "=", SPOT)
      .orderBy("position")
      .orderBy("seq")
      .execute();
    expect(spotMessages.map((m) => m.message)).toEqual([
      "(service spot) (task s1) will be stopped: Fargate Spot capacity is being reclaimed.",
      "(service spot) has stopped 1 running tasks: (task s1).",
    ]);
    const report = await rebuildProjections(tdb.db, {
      projections: ALL_PROJECTIONS,
      upcast: upcastEvent,
    });
    expect(report.differences).toEqual([]);
  });
});
