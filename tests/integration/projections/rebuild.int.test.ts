import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EventStore, type EventMetadata } from "../../../shared/eventstore/index.js";
import { upcastEvent } from "../../../shared/events/index.js";
import { ALL_PROJECTIONS, rebuildProjections } from "../../../shared/projections/index.js";
import { silentLogger } from "../../../shared/log/index.js";
import type { ServedCommand } from "../../../shared/bus/index.js";
import { schedulerCommands } from "../../../services/scheduler/commandHandlers.js";
import { createTestDatabase, type TestDatabase } from "../../fixtures/database.js";

const metadata: EventMetadata = { actor: "AKIDTEST", correlationId: "corr", commandId: "cmd" };

describe("projection rebuild", () => {
  let tdb: TestDatabase;
  let run: (name: string, payload: unknown) => Promise<unknown>;
  beforeAll(async () => {
    tdb = await createTestDatabase("rebuild");
    const store = new EventStore(tdb.db, { projections: ALL_PROJECTIONS, upcast: upcastEvent });
    let tick = Date.parse("2026-03-01T00:00:00Z");
    const commands = new Map<string, ServedCommand>(
      schedulerCommands({
        store,
        db: tdb.db,
        log: silentLogger,
        arn: { region: "eu-west-1", accountId: "123456789012" },
        clock: () => new Date((tick += 1234)),
      }).map((c) => [c.definition.name, c]),
    );
    run = (name, payload) =>
      commands.get(name)!.handle(commands.get(name)!.definition.payload.parse(payload), {
        metadata,
        log: silentLogger,
      });
  });
  afterAll(async () => tdb.drop());

  const container = (name: string) => ({ name, image: "busybox", memory: 32 });

  it("rebuild equals live after a mixed workload, and a tampered row is reported", async () => {
    // A mixed workload, some of it concurrent.
    await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        run("CreateCluster", { clusterName: `c${i}`, tags: [{ key: "team", value: `t${i}` }] }),
      ),
    );
    await run("DeleteCluster", { cluster: "c1" });
    await run("CreateCluster", { clusterName: "c1" });
    await run("DeleteCluster", { cluster: "arn:aws:ecs:eu-west-1:123456789012:cluster/c2" });
    await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        run("RegisterTaskDefinition", {
          family: i % 2 === 0 ? "web" : "worker",
          containerDefinitions: [container("app"), container("sidecar")],
          tags: [{ key: "rev", value: String(i) }],
        }),
      ),
    );
    await run("DeregisterTaskDefinition", { taskDefinition: "web:2" });
    await run("DeregisterTaskDefinition", { taskDefinition: "worker:1" });
    await run("TagResource", {
      resourceArn: "arn:aws:ecs:eu-west-1:123456789012:cluster/c0",
      tags: [
        { key: "env", value: "prod" },
        { key: "team", value: "core" },
      ],
    });
    await run("UntagResource", {
      resourceArn: "arn:aws:ecs:eu-west-1:123456789012:task-definition/web:3",
      tagKeys: ["rev"],
    });

    // Container instances and tasks: registration, placement, state reports, stops.
    const resources = [
      { name: "CPU", type: "INTEGER", integerValue: 2048 },
      { name: "MEMORY", type: "INTEGER", integerValue: 4096 },
      { name: "PORTS", type: "STRINGSET", stringSetValue: ["22"] },
    ];
    const a = (await run("RegisterContainerInstance", {
      cluster: "c0",
      ec2InstanceId: "i-aaaa",
      availabilityZone: "eu-west-1a",
      totalResources: resources,
    })) as { containerInstanceArn: string };
    await run("RegisterContainerInstance", {
      cluster: "c0",
      ec2InstanceId: "i-bbbb",
      availabilityZone: "eu-west-1b",
      totalResources: resources,
    });
    const launched = (await run("RunTask", {
      cluster: "c0",
      taskDefinition: "web",
      count: 3,
      startedBy: "rebuild-test",
    })) as { taskArns: string[] };
    expect(launched.taskArns).toHaveLength(3);
    const [t1, t2] = launched.taskArns as [string, string];
    await run("ReportTaskState", {
      taskArn: t1,
      lastStatus: "RUNNING",
      containers: [
        {
          name: "app",
          lastStatus: "RUNNING",
          networkBindings: [
            { bindIP: "127.0.0.1", containerPort: 80, hostPort: 32768, protocol: "tcp" },
          ],
        },
      ],
      startedAt: 1_772_323_300,
      at: 1_772_323_300,
    });
    await run("StopTask", { cluster: "c0", task: t1, reason: "testing" });
    await run("ReportTaskState", {
      taskArn: t1,
      lastStatus: "STOPPED",
      containers: [{ name: "app", lastStatus: "STOPPED", exitCode: 143 }],
      stoppedAt: 1_772_323_400,
      at: 1_772_323_400,
    });
    await run("ReportTaskState", {
      taskArn: t2,
      lastStatus: "PENDING",
      containers: [{ name: "app", lastStatus: "PENDING" }],
      at: 1_772_323_310,
    });
    await run("DeregisterContainerInstance", {
      cluster: "c0",
      containerInstance: a.containerInstanceArn,
      force: true,
    });
    expect(
      await tdb.db
        .selectFrom("tasks")
        .select("task_arn")
        .where("desired_status", "=", "STOPPED")
        .execute(),
    ).not.toHaveLength(0);

    const clean = await rebuildProjections(tdb.db, {
      projections: ALL_PROJECTIONS,
      upcast: upcastEvent,
    });
    expect(clean.events).toBeGreaterThan(20);
    expect(clean.differences).toEqual([]);
    expect(await tdb.db.selectFrom("task_definitions").select("family").execute()).toHaveLength(10);
    expect(clean.tables).toEqual(
      expect.arrayContaining(["tasks", "container_instances", "task_reservations"]),
    );

    // The comparison is real: change one live row out of band and it is caught.
    await sql`UPDATE resource_tags SET value = 'tampered' WHERE key = 'env'`.execute(tdb.db);
    const dirty = await rebuildProjections(tdb.db, {
      projections: ALL_PROJECTIONS,
      upcast: upcastEvent,
    });
    expect(dirty.differences.map((d) => d.table)).toEqual(["resource_tags"]);
    expect(JSON.stringify(dirty.differences[0]!.onlyLive)).toContain("tampered");
    expect(JSON.stringify(dirty.differences[0]!.onlyRebuilt)).toContain("prod");

    // The rebuild left nothing behind.
    const schemas = await sql<{ n: string }>`
      SELECT nspname AS n FROM pg_namespace WHERE nspname LIKE 'rebuild_%'`.execute(tdb.db);
    expect(schemas.rows).toEqual([]);

    // Both engines: the in-memory folds (the default) and the projections' own SQL see the same
    // tampered row, and nothing else.
    const bySql = await rebuildProjections(tdb.db, {
      projections: ALL_PROJECTIONS,
      upcast: upcastEvent,
      mode: "sql",
    });
    expect(bySql.events).toBe(dirty.events);
    expect(bySql.differences).toEqual(dirty.differences);
    await sql`UPDATE resource_tags SET value = 'prod' WHERE key = 'env'`.execute(tdb.db);
  });

  it("the in-memory folds equal the projections' SQL at every point of the log", async () => {
    // Point-in-time rebuilds cannot be compared with the live tables: compare the two engines,
    // each kept in a schema of its own, table by table, at positions all along the log.
    const { last } = (
      await sql<{ last: number }>`SELECT max(position)::int AS last FROM events`.execute(tdb.db)
    ).rows[0]!;
    const tables = [...new Set(ALL_PROJECTIONS.flatMap((p) => p.tables))];
    const points = [1, 7, Math.floor(last / 4), Math.floor(last / 2), last - 3, last];
    for (const [i, toPosition] of points.entries()) {
      const options = { projections: ALL_PROJECTIONS, upcast: upcastEvent, toPosition, keep: true };
      const memory = await rebuildProjections(tdb.db, { ...options, schema: `fold_mem_${i}` });
      const reference = await rebuildProjections(tdb.db, {
        ...options,
        schema: `fold_sql_${i}`,
        mode: "sql",
      });
      expect(memory.events).toBe(reference.events);
      for (const table of tables) {
        const differing = await sql<{ n: number }>`
          SELECT count(*)::int AS n FROM (
            (SELECT to_jsonb(a) FROM ${sql.id(`fold_mem_${i}`, table)} a
             EXCEPT ALL SELECT to_jsonb(b) FROM ${sql.id(`fold_sql_${i}`, table)} b)
            UNION ALL
            (SELECT to_jsonb(b) FROM ${sql.id(`fold_sql_${i}`, table)} b
             EXCEPT ALL SELECT to_jsonb(a) FROM ${sql.id(`fold_mem_${i}`, table)} a)
          ) d`.execute(tdb.db);
        expect({ toPosition, table, differing: differing.rows[0]!.n }).toEqual({
          toPosition,
          table,
          differing: 0,
        });
      }
      await sql`DROP SCHEMA ${sql.id(`fold_mem_${i}`)} CASCADE`.execute(tdb.db);
      await sql`DROP SCHEMA ${sql.id(`fold_sql_${i}`)} CASCADE`.execute(tdb.db);
    }
    // Instances and tasks were among the rows compared above.
    const instances = await tdb.db
      .selectFrom("container_instances")
      .select("container_instance_arn")
      .execute();
    expect(instances.length).toBeGreaterThan(0);
  });
});
