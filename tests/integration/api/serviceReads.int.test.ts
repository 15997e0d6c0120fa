import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ActionContext } from "../../../services/api/protocol/action.js";
import { describeServices } from "../../../services/api/ecs/actions/describeServices.js";
import { listServices } from "../../../services/api/ecs/actions/listServices.js";
import { serviceStream } from "../../../shared/domain/streams.js";
import { EventStore, type EventMetadata } from "../../../shared/eventstore/index.js";
import { newEvent, upcastEvent } from "../../../shared/events/index.js";
import { silentLogger } from "../../../shared/log/index.js";
import { ALL_PROJECTIONS } from "../../../shared/projections/index.js";
import { createTestDatabase, type TestDatabase } from "../../fixtures/database.js";

const metadata: EventMetadata = { actor: "AKIDTEST", correlationId: "corr", commandId: "cmd" };
const ARN = { region: "eu-west-1", accountId: "123456789012" };
const PREFIX = "arn:aws:ecs:eu-west-1:123456789012";
const TD = `${PREFIX}:task-definition/web:1`;
const T0 = 1_772_323_200;

describe("service reads (DescribeServices, ListServices)", () => {
  let tdb: TestDatabase;
  let ctx: ActionContext;

  const createService = async (store: EventStore, name: string, deploymentId: string) =>
    store.append(
      serviceStream("demo", name),
      [
        newEvent("ServiceCreated", {
          clusterName: "demo",
          serviceName: name,
          serviceArn: `${PREFIX}:service/demo/${name}`,
          taskDefinitionArn: TD,
          desiredCount: 2,
          launchType: "EC2",
          schedulingStrategy: name === "agent" ? "DAEMON" : "REPLICA",
          deploymentConfiguration: {
            minimumHealthyPercent: 100,
            maximumPercent: 200,
            deploymentCircuitBreaker: { enable: false, rollback: false },
          },
          placementConstraints: [],
          placementStrategy: [],
          loadBalancers: [],
          tags: [{ key: "svc", value: name }],
          enableECSManagedTags: false,
          requestDigest: "d",
          deploymentId,
          createdBy: "arn:aws:iam::123456789012:user/test",
          createdAt: T0,
        }),
      ],
      "noStream",
      metadata,
    );

  const task = async (
    id: string,
    group: string,
    startedBy: string,
    lastStatus: string,
    desiredStatus = "RUNNING",
  ) =>
    tdb.db
      .insertInto("tasks")
      .values({
        task_arn: `${PREFIX}:task/demo/${id}`,
        cluster_name: "demo",
        task_definition_arn: TD,
        family: "web",
        container_instance_arn: `${PREFIX}:container-instance/demo/i1`,
        launch_type: "EC2",
        task_group: group,
        started_by: startedBy,
        overrides: "{}",
        cpu: "0",
        memory: "32",
        containers: "[]",
        last_status: lastStatus,
        desired_status: desiredStatus,
        health_status: "UNKNOWN",
        created_at: new Date(T0 * 1000),
        version: 1,
        last_position: 1,
      })
      .execute();

  beforeAll(async () => {
    tdb = await createTestDatabase("svcread");
    const store = new EventStore(tdb.db, { projections: ALL_PROJECTIONS, upcast: upcastEvent });
    ctx = {
      db: tdb.db,
      arn: ARN,
      log: silentLogger,
      metadata: { actor: "AKIDTEST", correlationId: "corr" },
      endpoint: "http://127.0.0.1",
      commands: undefined as unknown as ActionContext["commands"],
    };
    await store.append(
      "cluster:demo",
      [
        newEvent("ClusterCreated", {
          clusterName: "demo",
          clusterArn: `${PREFIX}:cluster/demo`,
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
    await createService(store, "web", "ecs-svc/1");
    await store.append(
      serviceStream("demo", "web"),
      [
        newEvent("ServiceUpdated", {
          clusterName: "demo",
          serviceArn: `${PREFIX}:service/demo/web`,
          deploymentId: "ecs-svc/2",
          updatedAt: T0 + 10,
        }),
      ],
      1,
      metadata,
    );
    for (const name of ["api", "agent", "gone"])
      await createService(store, name, `ecs-svc/${name}`);
    await store.append(
      serviceStream("demo", "gone"),
      [
        newEvent("ServiceDeleted", {
          clusterName: "demo",
          serviceArn: `${PREFIX}:service/demo/gone`,
          force: true,
          at: T0 + 20,
        }),
        newEvent("ServiceInactivated", {
          clusterName: "demo",
          serviceArn: `${PREFIX}:service/demo/gone`,
          at: T0 + 30,
        }),
      ],
      1,
      metadata,
    );
    await task("t1", "service:web", "ecs-svc/1", "RUNNING");
    await task("t2", "service:web", "ecs-svc/2", "RUNNING");
    await task("t3", "service:web", "ecs-svc/2", "PENDING");
    await task("t4", "service:web", "ecs-svc/2", "RUNNING", "STOPPED"); // on its way out
    await task("t5", "service:web", "ecs-svc/1", "STOPPED", "STOPPED");
    await task("t6", "service:api", "ecs-svc/api", "ACTIVATING");
  });
  afterAll(async () => tdb.drop());

  it("describes by name and ARN with live counts, INACTIVE included, unknown ones MISSING", async () => {
    const out = (await describeServices.handle(
      {
        cluster: "demo",
        services: [
          "web",
          `${PREFIX}:service/demo/api`,
          "gone",
          "nope",
          `${PREFIX}:service/other/web`,
        ],
        include: ["TAGS"],
      },
      ctx,
    )) as { services: Record<string, unknown>[]; failures: unknown[] };
    expect(
      out.services.map((s) => [s.serviceName, s.status, s.runningCount, s.pendingCount]),
    ).toEqual([
      ["web", "ACTIVE", 2, 1],
      ["api", "ACTIVE", 0, 1],
      ["gone", "INACTIVE", 0, 0],
    ]);
    expect(
      (out.services[0]!.deployments as Record<string, unknown>[]).map((d) => [
        d.id,
        d.status,
        d.desiredCount,
        d.runningCount,
        d.pendingCount,
      ]),
    ).toEqual([
      ["ecs-svc/2", "PRIMARY", 2, 1, 1],
      ["ecs-svc/1", "ACTIVE", 0, 1, 0],
    ]);
    expect(out.services[0]!.tags).toEqual([{ key: "svc", value: "web" }]);
    expect(out.failures).toEqual([
      { arn: `${PREFIX}:service/demo/nope`, reason: "MISSING" },
      { arn: `${PREFIX}:service/other/web`, reason: "MISSING" },
    ]);
  });

  it("lists ACTIVE and DRAINING services, filtered and paged", async () => {
    const all = (await listServices.handle({ cluster: "demo" }, ctx)) as { serviceArns: string[] };
    expect(all.serviceArns).toEqual([
      `${PREFIX}:service/demo/agent`,
      `${PREFIX}:service/demo/api`,
      `${PREFIX}:service/demo/web`,
    ]);
    const daemons = (await listServices.handle(
      { cluster: "demo", schedulingStrategy: "DAEMON" },
      ctx,
    )) as { serviceArns: string[] };
    expect(daemons.serviceArns).toEqual([`${PREFIX}:service/demo/agent`]);
    expect(await listServices.handle({ cluster: "demo", launchType: "FARGATE" }, ctx)).toEqual({
      serviceArns: [],
    });
    const first = (await listServices.handle({ cluster: "demo", maxResults: 2 }, ctx)) as {
      serviceArns: string[];
      nextToken?: string;
    };
    expect(first.serviceArns).toHaveLength(2);
    const second = (await listServices.handle(
      { cluster: "demo", maxResults: 2, nextToken: first.nextToken! },
      ctx,
    )) as { serviceArns: string[]; nextToken?: string };
    expect([...first.serviceArns, ...second.serviceArns]).toEqual(all.serviceArns);
    expect(second.nextToken).toBeUndefined();
    await expect(listServices.handle({ cluster: "nope" }, ctx)).rejects.toMatchObject({
      type: "ClusterNotFoundException",
    });
  });
});
