import {
  CreateClusterCommand,
  DeleteClusterCommand,
  DescribeClustersCommand,
  ListClustersCommand,
  ListTagsForResourceCommand,
  TagResourceCommand,
  UntagResourceCommand,
  paginateListClusters,
  type ECSClient,
} from "@aws-sdk/client-ecs";
import { connect } from "@nats-io/transport-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startConsumer } from "../../shared/consumer/index.js";
import { natsUrl } from "../fixtures/nats.js";
import { startTestSystem, TEST_ACCESS_KEY, type TestSystem } from "../fixtures/system.js";

describe("clusters and tags through @aws-sdk/client-ecs", () => {
  let sys: TestSystem;
  let ecs: ECSClient;
  beforeAll(async () => {
    sys = await startTestSystem("e2e_clusters");
    ecs = sys.ecs();
  });
  afterAll(async () => sys?.stop());

  it("runs the whole cluster lifecycle", async () => {
    const created = await ecs.send(
      new CreateClusterCommand({
        clusterName: "demo",
        tags: [{ key: "team", value: "platform" }],
        settings: [{ name: "containerInsights", value: "enabled" }],
      }),
    );
    expect(created.cluster).toMatchObject({
      clusterArn: "arn:aws:ecs:us-east-1:000000000000:cluster/demo",
      clusterName: "demo",
      status: "ACTIVE",
      registeredContainerInstancesCount: 0,
      runningTasksCount: 0,
      pendingTasksCount: 0,
      activeServicesCount: 0,
      settings: [{ name: "containerInsights", value: "enabled" }],
      tags: [{ key: "team", value: "platform" }],
    });
    expect(created.$metadata.requestId).toMatch(/^[0-9a-f-]{36}$/);

    // CreateCluster is idempotent for an ACTIVE cluster.
    const again = await ecs.send(new CreateClusterCommand({ clusterName: "demo" }));
    expect(again.cluster?.clusterArn).toBe(created.cluster?.clusterArn);

    // Omitting the name creates the `default` cluster.
    const dflt = await ecs.send(new CreateClusterCommand({}));
    expect(dflt.cluster?.clusterName).toBe("default");

    const described = await ecs.send(
      new DescribeClustersCommand({
        clusters: ["demo", "arn:aws:ecs:us-east-1:000000000000:cluster/default", "missing"],
        include: ["TAGS", "SETTINGS", "STATISTICS"],
      }),
    );
    expect(described.clusters?.map((c) => c.clusterName)).toEqual(["demo", "default"]);
    expect(described.clusters?.[0]?.tags).toEqual([{ key: "team", value: "platform" }]);
    expect(described.clusters?.[0]?.statistics?.length).toBeGreaterThan(0);
    expect(described.failures).toEqual([
      { arn: "arn:aws:ecs:us-east-1:000000000000:cluster/missing", reason: "MISSING" },
    ]);

    // Without `clusters`, DescribeClusters describes `default`.
    const byDefault = await ecs.send(new DescribeClustersCommand({}));
    expect(byDefault.clusters?.map((c) => c.clusterName)).toEqual(["default"]);

    const deleted = await ecs.send(new DeleteClusterCommand({ cluster: "demo" }));
    expect(deleted.cluster?.status).toBe("INACTIVE");
    const afterDelete = await ecs.send(new DescribeClustersCommand({ clusters: ["demo"] }));
    expect(afterDelete.clusters?.[0]?.status).toBe("INACTIVE");
    const listed = await ecs.send(new ListClustersCommand({}));
    expect(listed.clusterArns).toEqual(["arn:aws:ecs:us-east-1:000000000000:cluster/default"]);

    // A deleted cluster can be created again.
    const recreated = await ecs.send(new CreateClusterCommand({ clusterName: "demo" }));
    expect(recreated.cluster?.status).toBe("ACTIVE");
  });

  it("pages ListClusters with maxResults and nextToken", async () => {
    for (let i = 0; i < 7; i++) {
      await ecs.send(new CreateClusterCommand({ clusterName: `page-${i}` }));
    }
    const first = await ecs.send(new ListClustersCommand({ maxResults: 3 }));
    expect(first.clusterArns).toHaveLength(3);
    expect(first.nextToken).toBeTruthy();
    const all: string[] = [];
    for await (const page of paginateListClusters({ client: ecs, pageSize: 2 }, {})) {
      all.push(...(page.clusterArns ?? []));
    }
    expect(all.filter((a) => a.includes("/page-"))).toHaveLength(7);
    expect(new Set(all).size).toBe(all.length);
    expect([...all].sort()).toEqual(all);
  });

  it("tags, lists and untags a cluster", async () => {
    const { cluster } = await ecs.send(new CreateClusterCommand({ clusterName: "tagged" }));
    const resourceArn = cluster!.clusterArn!;
    await ecs.send(
      new TagResourceCommand({
        resourceArn,
        tags: [
          { key: "env", value: "prod" },
          { key: "owner", value: "ops" },
        ],
      }),
    );
    await ecs.send(
      new TagResourceCommand({ resourceArn, tags: [{ key: "env", value: "staging" }] }),
    );
    const tags = await ecs.send(new ListTagsForResourceCommand({ resourceArn }));
    expect(tags.tags).toEqual([
      { key: "env", value: "staging" },
      { key: "owner", value: "ops" },
    ]);
    await ecs.send(new UntagResourceCommand({ resourceArn, tagKeys: ["owner", "absent"] }));
    const after = await ecs.send(new ListTagsForResourceCommand({ resourceArn }));
    expect(after.tags).toEqual([{ key: "env", value: "staging" }]);
  });

  it("records the caller's access key id as the actor of every event", async () => {
    const other = sys.ecs("AKIDSOMEONEELSE");
    await other.send(new CreateClusterCommand({ clusterName: "by-someone-else" }));
    const rows = await sys.database.db
      .selectFrom("events")
      .select(["stream_id", "metadata"])
      .orderBy("position")
      .execute();
    const actors = new Map(rows.map((r) => [r.stream_id, (r.metadata as { actor: string }).actor]));
    expect(actors.get("cluster:demo")).toBe(TEST_ACCESS_KEY);
    expect(actors.get("cluster:by-someone-else")).toBe("AKIDSOMEONEELSE");
    for (const r of rows) {
      const m = r.metadata as Record<string, string>;
      expect(m.correlationId).toBeTruthy();
      // Events the node agent causes (it registers itself) carry the agent as actor;
      // every other one came from an API request and a command.
      if (m.actor?.startsWith("agent/")) continue;
      expect(m.requestId).toBeTruthy();
      expect(m.commandId).toBeTruthy();
    }
  });
});

describe("events reach JetStream through the scheduler's relay", () => {
  let sys: TestSystem;
  beforeAll(async () => {
    sys = await startTestSystem("e2e_relay");
  });
  afterAll(async () => sys?.stop());

  it("publishes each event once, in order, on its subject with correlation headers", async () => {
    const ecs = sys.ecs();
    const created = await ecs.send(new CreateClusterCommand({ clusterName: "streamed" }));
    await ecs.send(
      new TagResourceCommand({
        resourceArn: created.cluster!.clusterArn!,
        tags: [{ key: "k", value: "v" }],
      }),
    );
    await ecs.send(new DeleteClusterCommand({ cluster: "streamed" }));

    const nc = await connect({ servers: natsUrl() });
    try {
      const seen: { subject: string; type: string; requestId?: string; msgId?: string }[] = [];
      const consumer = await startConsumer({
        nc,
        prefix: sys.prefix,
        durableName: "e2e-check",
        handle: (event, msg) => {
          // The system's agent registers into `default` meanwhile: only this cluster's events.
          if (!msg.subject.startsWith(`${sys.prefix}.evt.streamed.`)) return Promise.resolve();
          seen.push({
            subject: msg.subject,
            type: event.type,
            requestId: msg.headers?.get("Flotilla-Request-Id"),
            msgId: msg.headers?.get("Nats-Msg-Id"),
          });
          return Promise.resolve();
        },
      });
      // The relay publishes asynchronously: wait until all three have arrived.
      for (let i = 0; i < 100 && seen.length < 3; i++) {
        await consumer.whenCaughtUp({ timeoutMs: 10_000 });
        if (seen.length < 3) await new Promise((r) => setTimeout(r, 100));
      }
      await consumer.stop();
      expect(seen.map((s) => s.subject)).toEqual([
        `${sys.prefix}.evt.streamed.cluster.ClusterCreated`,
        `${sys.prefix}.evt.streamed.cluster.ResourceTagged`,
        `${sys.prefix}.evt.streamed.cluster.ClusterDeleted`,
      ]);
      for (const s of seen) {
        expect(s.requestId).toMatch(/^[0-9a-f-]{36}$/);
        expect(s.msgId).toMatch(/^[0-9a-f-]{36}$/);
      }
    } finally {
      await nc.close();
    }
  });
});
