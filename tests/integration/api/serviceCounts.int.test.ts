import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ActionContext } from "../../../services/api/protocol/action.js";
import { describeServices } from "../../../services/api/ecs/actions/describeServices.js";
import { serviceStream } from "../../../shared/domain/streams.js";
import { EventStore, type EventMetadata } from "../../../shared/eventstore/index.js";
import { newEvent, upcastEvent } from "../../../shared/events/index.js";
import { silentLogger } from "../../../shared/log/index.js";
import { ALL_PROJECTIONS } from "../../../shared/projections/index.js";
import { createTestDatabase, type TestDatabase } from "../../fixtures/database.js";

const metadata: EventMetadata = { actor: "AKIDTEST", correlationId: "corr", commandId: "cmd" };
const ARN = { region: "eu-west-1", accountId: "123456789012" };
const PREFIX = "arn:aws:ecs:eu-west-1:123456789012";
const TG = "arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/web/0123456789abcdef";
const T0 = 1_772_323_200;

type Described = { services: Record<string, unknown>[]; failures: unknown[] };

/**
 * DescribeServices' live counts where they depend on more than lastStatus: a container
 * health check in the task definition (RUNNING counts once HEALTHY) and load balancers
 * (RUNNING counts once its target is healthy), services of both kinds in one request; and
 * the cluster check, made in the same query as the service lookup.
 */
describe("DescribeServices counts and cluster check", () => {
  let tdb: TestDatabase;
  let ctx: ActionContext;
  const td = (family: string) => `${PREFIX}:task-definition/${family}:1`;

  const cluster = async (store: EventStore, name: string) =>
    store.append(
      `cluster:${name}`,
      [
        newEvent("ClusterCreated", {
          clusterName: name,
          clusterArn: `${PREFIX}:cluster/${name}`,
          settings: [],
          capacityProviders: [],
          defaultCapacityProviderStrategy: [],
          tags: [],
          createdAt: "2026-03-01T00:00:00.000Z",
        }),
      ],
      "noStream",
      metadata,
    );

  const taskDefinition = (family: string, healthCheck: boolean) =>
    tdb.db
      .insertInto("task_definitions")
      .values({
        family,
        revision: 1,
        task_definition_arn: td(family),
        status: "ACTIVE",
        definition: JSON.stringify({
          family,
          containerDefinitions: [
            {
              name: "app",
              image: "busybox",
              essential: true,
              ...(healthCheck ? { healthCheck: { command: ["CMD", "true"] } } : {}),
            },
          ],
        }),
        registered_at: new Date(T0 * 1000),
        last_position: 1,
      })
      .execute();

  const service = async (store: EventStore, name: string, family: string, balanced: boolean) =>
    store.append(
      serviceStream("demo", name),
      [
        newEvent("ServiceCreated", {
          clusterName: "demo",
          serviceName: name,
          serviceArn: `${PREFIX}:service/demo/${name}`,
          taskDefinitionArn: td(family),
          desiredCount: 3,
          launchType: "EC2",
          schedulingStrategy: "REPLICA",
          deploymentConfiguration: {
            minimumHealthyPercent: 100,
            maximumPercent: 200,
            deploymentCircuitBreaker: { enable: false, rollback: false },
          },
          placementConstraints: [],
          placementStrategy: [],
          loadBalancers: balanced
            ? [{ targetGroupArn: TG, containerName: "app", containerPort: 80 }]
            : [],
          tags: [],
          enableECSManagedTags: false,
          requestDigest: "d",
          deploymentId: `ecs-svc/${name}`,
          createdBy: "arn:aws:iam::123456789012:user/test",
          createdAt: T0,
        }),
      ],
      "noStream",
      metadata,
    );

  const task = (id: string, name: string, family: string, lastStatus: string, health: string) =>
    tdb.db
      .insertInto("tasks")
      .values({
        task_arn: `${PREFIX}:task/demo/${id}`,
        cluster_name: "demo",
        task_definition_arn: td(family),
        family,
        container_instance_arn: `${PREFIX}:container-instance/demo/i1`,
        launch_type: "EC2",
        task_group: `service:${name}`,
        started_by: `ecs-svc/${name}`,
        overrides: "{}",
        cpu: "0",
        memory: "32",
        containers: "[]",
        last_status: lastStatus,
        desired_status: "RUNNING",
        health_status: health,
        created_at: new Date(T0 * 1000),
        version: 1,
        last_position: 1,
      })
      .execute();

  const target = (id: string, state: string) =>
    tdb.db
      .insertInto("targets")
      .values({
        target_group_arn: TG,
        target_id: id,
        port: 80,
        task_arn: `${PREFIX}:task/demo/${id}`,
        state,
        registered_at: new Date(T0 * 1000),
      })
      .execute();

  beforeAll(async () => {
    tdb = await createTestDatabase("svccount");
    const store = new EventStore(tdb.db, { projections: ALL_PROJECTIONS, upcast: upcastEvent });
    ctx = {
      db: tdb.db,
      arn: ARN,
      log: silentLogger,
      metadata: { actor: "AKIDTEST", correlationId: "corr" },
      endpoint: "http://127.0.0.1",
      commands: undefined as unknown as ActionContext["commands"],
    };
    await cluster(store, "demo");
    await cluster(store, "old");
    await store.append(
      "cluster:old",
      [
        newEvent("ClusterDeleted", {
          clusterName: "old",
          clusterArn: `${PREFIX}:cluster/old`,
          deletedAt: "2026-03-02T00:00:00.000Z",
        }),
      ],
      1,
      metadata,
    );
    await taskDefinition("checked", true);
    await taskDefinition("plain", false);
    await service(store, "checked", "checked", false);
    await service(store, "balanced", "plain", true);
    await service(store, "plain", "plain", false);
    await task("c1", "checked", "checked", "RUNNING", "HEALTHY");
    await task("c2", "checked", "checked", "RUNNING", "UNKNOWN");
    await task("c3", "checked", "checked", "PENDING", "UNKNOWN");
    await task("b1", "balanced", "plain", "RUNNING", "UNKNOWN");
    await task("b2", "balanced", "plain", "RUNNING", "UNKNOWN");
    await task("b3", "balanced", "plain", "RUNNING", "UNKNOWN");
    await target("b1", "healthy");
    await target("b2", "initial");
    await task("p1", "plain", "plain", "RUNNING", "UNKNOWN");
    await task("p2", "plain", "plain", "RUNNING", "UNHEALTHY");
    await task("p3", "plain", "plain", "ACTIVATING", "UNKNOWN");
  });
  afterAll(async () => tdb.drop());

  const counts = (out: Described) =>
    out.services.map((s) => [
      s.serviceName,
      s.runningCount,
      s.pendingCount,
      (s.deployments as Record<string, unknown>[]).map((d) => [d.runningCount, d.pendingCount]),
    ]);

  it("counts RUNNING only once healthy where a health check or a load balancer asks for it", async () => {
    const out = (await describeServices.handle(
      { cluster: "demo", services: ["checked", "balanced", "plain"] },
      ctx,
    )) as Described;
    expect(counts(out)).toEqual([
      ["checked", 1, 2, [[1, 2]]],
      ["balanced", 1, 2, [[1, 2]]],
      ["plain", 2, 1, [[2, 1]]],
    ]);
    // Alone, without a balanced service in the same request.
    const alone = (await describeServices.handle(
      { cluster: "demo", services: ["plain", "checked"] },
      ctx,
    )) as Described;
    expect(counts(alone)).toEqual([
      ["plain", 2, 1, [[2, 1]]],
      ["checked", 1, 2, [[1, 2]]],
    ]);
  });

  it("refuses a missing or deleted cluster, even when no reference names a service", async () => {
    for (const c of ["nope", "old"]) {
      for (const services of [["plain"], ["not a name!"]]) {
        await expect(describeServices.handle({ cluster: c, services }, ctx)).rejects.toMatchObject({
          type: "ClusterNotFoundException",
        });
      }
    }
    expect(
      await describeServices.handle({ cluster: "demo", services: ["not a name!"] }, ctx),
    ).toEqual({ services: [], failures: [{ arn: "not a name!", reason: "MISSING" }] });
  });
});
