import type { NatsConnection } from "@nats-io/nats-core";
import { connect } from "@nats-io/transport-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startAutoscaler } from "../../../../services/autoscaler/autoscaler.js";
import {
  startEcsMetrics,
  type EcsMetricsLoop,
  type EcsMetricsOptions,
} from "../../../../services/autoscaler/ecsMetrics/index.js";
import type { StatsReport } from "../../../../shared/agent/protocol.js";
import { agentSubject } from "../../../../shared/bus/index.js";
import { resourcesFromCapacity } from "../../../../shared/domain/resources.js";
import { silentLogger } from "../../../../shared/log/index.js";
import { postgresMetricSource, type SeriesQuery } from "../../../../shared/metrics/index.js";
import { createTestDatabase, type TestDatabase } from "../../../fixtures/database.js";
import { natsUrl, testPrefix } from "../../../fixtures/nats.js";
import { waitFor } from "../../../fixtures/waitFor.js";

// Aligned to 30 s, within the store's retention of "now" (the virtual clock is the store's now).
const T0 = Math.floor(Date.now() / 60_000) * 60_000 - 10 * 60_000;
const CI = "arn:aws:ecs:us-east-1:000000000000:container-instance/c/ci1";
const arnOf = (id: string) => `arn:aws:ecs:us-east-1:000000000000:task/c/${id}`;

let tdb: TestDatabase;
let nc: NatsConnection;

const seedProjections = async () => {
  const at = new Date(T0 - 3600_000);
  await tdb.db
    .insertInto("container_instances")
    .values({
      container_instance_arn: CI,
      cluster_name: "c",
      ec2_instance_id: "i-1",
      availability_zone: null,
      status: "ACTIVE",
      agent_connected: true,
      registered_resources: JSON.stringify(
        resourcesFromCapacity({ cpu: 2048, memory: 4096, tcpPorts: [], udpPorts: [] }),
      ),
      attributes: "[]",
      version_info: "{}",
      registered_at: at,
      updated_at: at,
      version: "1",
      last_position: "1",
    })
    .execute();
  await tdb.db
    .insertInto("services")
    .values({
      service_arn: "arn:aws:ecs:us-east-1:000000000000:service/c/web",
      cluster_name: "c",
      service_name: "web",
      status: "ACTIVE",
      desired_count: 2,
      task_definition_arn: "arn:aws:ecs:us-east-1:000000000000:task-definition/web:1",
      launch_type: "EC2",
      scheduling_strategy: "REPLICA",
      deployment_configuration: "{}",
      placement_constraints: "[]",
      placement_strategy: "[]",
      health_check_grace_period_seconds: null,
      load_balancers: "[]",
      deployments: "[]",
      propagate_tags: null,
      enable_ecs_managed_tags: false,
      created_at: at,
      created_by: "test",
      version: "1",
      last_position: "1",
    })
    .execute();
  const task = (id: string, group: string, status: string, cpu = "512", memory = "1024") => ({
    task_arn: arnOf(id),
    cluster_name: "c",
    task_definition_arn: "arn:aws:ecs:us-east-1:000000000000:task-definition/web:1",
    family: "web",
    container_instance_arn: CI,
    availability_zone: null,
    launch_type: "EC2",
    task_group: group,
    started_by: null,
    overrides: "{}",
    cpu,
    memory,
    containers: "[]",
    last_status: status,
    desired_status: status,
    health_status: "UNKNOWN",
    created_at: at,
    version: "1",
    last_position: "1",
  });
  await tdb.db
    .insertInto("tasks")
    .values([
      task("t1", "service:web", "RUNNING"),
      task("t2", "service:web", "RUNNING"),
      task("t3", "service:web", "STOPPED"),
      task("t4", "family:batch", "RUNNING", "1024", "512"),
    ])
    .execute();
};

const report = (cpu: Record<string, number>, memory: Record<string, number> = {}): StatsReport => ({
  containerInstanceArn: CI,
  clusterName: "c",
  at: 0,
  tasks: Object.entries(cpu).map(([id, used]) => ({
    taskArn: arnOf(id),
    containers: [
      {
        name: "app",
        cpuUnitsUsed: used,
        cpuUnitsReserved: 0,
        memoryMiBUsed: memory[id] ?? 0,
        memoryMiBReserved: 0,
      },
    ],
  })),
});

/** An autoscaler replica with only the ECS metrics loop, on a virtual clock. */
const replica = (prefix: string, clock: () => number, options: EcsMetricsOptions = {}) => {
  let loop!: EcsMetricsLoop;
  const autoscaler = startAutoscaler({
    db: tdb.db,
    nc,
    prefix,
    arn: { region: "us-east-1", accountId: "000000000000" },
    log: silentLogger,
    clock: () => new Date(clock()),
    loops: (ctx) => {
      loop = startEcsMetrics(ctx, { periodSeconds: 30, autoTick: false, ...options });
      return [loop];
    },
  });
  return { autoscaler, loop };
};

const query = (
  namespace: string,
  metricName: string,
  dims: Record<string, string>,
  stat: string,
  start: number,
): SeriesQuery => ({
  metric: {
    namespace,
    metricName,
    dimensions: Object.entries(dims).map(([name, value]) => ({ name, value })),
  },
  stat,
  period: 30,
  start: new Date(start),
  end: new Date(start + 30_000),
});

beforeAll(async () => {
  tdb = await createTestDatabase("ecsmetrics");
  nc = await connect({ servers: natsUrl() });
  await seedProjections();
});

afterAll(async () => {
  await nc?.drain();
  await tdb?.drop();
});

describe("ECS metrics from agent stats (Postgres + NATS, virtual clock)", () => {
  it("publishes AWS/ECS utilisation and RunningTaskCount per aligned period", async () => {
    const prefix = testPrefix("ecsm");
    let now = T0 + 1_000;
    const { autoscaler, loop } = replica(prefix, () => now);
    const publish = async (r: StatsReport) => {
      const before = loop.received;
      nc.publish(agentSubject(prefix, "i-1", "stats"), JSON.stringify(r));
      await waitFor(() => loop.received === before + 1, "the stats report");
    };
    try {
      // An unreadable report is dropped at the boundary; the next one still counts.
      nc.publish(agentSubject(prefix, "i-1", "stats"), JSON.stringify({ tasks: "nope" }));
      // Round 1: t1 256/512, t2 512/512 → 75 %; t3 is STOPPED, t4 belongs to no service.
      await publish(report({ t1: 256, t2: 512, t3: 900, t4: 100 }, { t1: 512, t2: 256 }));
      expect(loop.received).toBe(1);
      now = T0 + 10_000;
      expect(await loop.tick()).toEqual([]);
      // Round 2: 1024/1024 → 100 %.
      await publish(report({ t1: 512, t2: 512, t4: 100 }, { t1: 512, t2: 256 }));
      now = T0 + 20_000;
      expect(await loop.tick()).toEqual([]);
      // Round 3 (received at T0 + 25 s): 512/1024 → 50 %; the tick at T0 + 30 s closes the period.
      now = T0 + 25_000;
      await publish(report({ t1: 256, t2: 256, t4: 100 }, { t1: 512, t2: 256 }));
      now = T0 + 30_000;
      const written = await loop.tick();
      expect(written.map((d) => `${d.namespace}/${d.metricName} ${d.dimensions.length}`)).toEqual(
        expect.arrayContaining([
          "AWS/ECS/CPUUtilization 2",
          "AWS/ECS/MemoryUtilization 2",
          "ECS/ContainerInsights/RunningTaskCount 2",
          "AWS/ECS/CPUUtilization 1",
          "AWS/ECS/MemoryUtilization 1",
        ]),
      );
      for (const d of written) {
        expect(d.timestamp.getTime()).toBe(T0);
        expect(d.storageResolution).toBe(1);
      }

      const source = postgresMetricSource(tdb.db);
      const web = { ClusterName: "c", ServiceName: "web" };
      const cpu = async (stat: string, dims: Record<string, string> = web, start = T0) =>
        source.series(query("AWS/ECS", "CPUUtilization", dims, stat, start));
      expect(await cpu("Average")).toEqual([
        { timestamp: new Date(T0), value: 75, sampleCount: 3 },
      ]);
      expect((await cpu("Maximum"))[0]?.value).toBe(100); // t2 in round 1, both in round 2
      expect((await cpu("Minimum"))[0]?.value).toBe(50);
      const memory = await source.series(query("AWS/ECS", "MemoryUtilization", web, "Average", T0));
      expect(memory[0]?.value).toBe((768 / 2048) * 100);
      const running = await source.series(
        query("ECS/ContainerInsights", "RunningTaskCount", web, "Average", T0),
      );
      expect(running[0]?.value).toBe(2);
      // {ClusterName}: all RUNNING tasks (t1, t2, t4) over the instance's registered CPU.
      const cluster = await cpu("Average", { ClusterName: "c" });
      expect(cluster[0]?.value).toBeCloseTo(((868 + 1124 + 612) / 3 / 2048) * 100, 9);

      // Next period: no more reports. The last sample stays fresh for 20 s (one more
      // round), then the service has no CPU datapoint, but its running count goes on.
      for (const t of [40_000, 50_000, 60_000]) {
        now = T0 + t;
        await loop.tick();
      }
      expect(await cpu("Average", web, T0 + 30_000)).toEqual([
        { timestamp: new Date(T0 + 30_000), value: 50, sampleCount: 1 },
      ]);
      const running2 = await source.series(
        query("ECS/ContainerInsights", "RunningTaskCount", web, "SampleCount", T0 + 30_000),
      );
      expect(running2[0]?.value).toBe(3);
      // The projections are read once per period (and once for the unknown task t3).
      expect(loop.indexLoads).toBeLessThanOrEqual(3);
    } finally {
      await autoscaler.stop();
    }
  });

  it("twoReplicas.noDoublePublish: only the lock holder writes, each report counts once", async () => {
    const prefix = testPrefix("ecsm2");
    let now = T0 + 1_000 + 60_000;
    const a = replica(prefix, () => now, { databaseUrl: tdb.url });
    const b = replica(prefix, () => now, { databaseUrl: tdb.url });
    try {
      nc.publish(agentSubject(prefix, "i-1", "stats"), JSON.stringify(report({ t1: 512, t2: 0 })));
      await waitFor(() => a.loop.received === 1 && b.loop.received === 1, "both replicas' reports");
      const written: number[] = [];
      for (const t of [70_000, 80_000, 90_000]) {
        now = T0 + t;
        written.push((await a.loop.tick()).length, (await b.loop.tick()).length);
      }
      // One replica wrote the period, the other collected the same rounds and wrote nothing.
      expect(written.slice(0, 4)).toEqual([0, 0, 0, 0]);
      expect(written.slice(4).filter((n) => n > 0)).toHaveLength(1);
      const series = await postgresMetricSource(tdb.db).series(
        query(
          "AWS/ECS",
          "CPUUtilization",
          { ClusterName: "c", ServiceName: "web" },
          "Average",
          T0 + 60_000,
        ),
      );
      expect(series).toEqual([{ timestamp: new Date(T0 + 60_000), value: 50, sampleCount: 2 }]);
    } finally {
      await a.autoscaler.stop();
      await b.autoscaler.stop();
    }
  });
});
