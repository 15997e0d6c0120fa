import { pino } from "pino";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildApiServer } from "../../../services/api/server.js";
import {
  CreateCluster,
  CreateService,
  PlanPlacement,
  RegisterContainerInstance,
  RegisterTaskDefinition,
  RunTask,
} from "../../../shared/commands/scheduler/index.js";
import { EcsError } from "../../../shared/domain/errors.js";
import { serviceStream } from "../../../shared/domain/streams.js";
import {
  startInProcessScheduler,
  type InProcessScheduler,
} from "../../fixtures/inProcessScheduler.js";
import { waitFor } from "../../fixtures/waitFor.js";
import { signedHeaders, testPrincipalDirectory } from "../../fixtures/iam.js";

const meta = { actor: "test", correlationId: "c" };

const resources = (cpu: number, memory: number) => [
  { name: "CPU", type: "INTEGER" as const, integerValue: cpu },
  { name: "MEMORY", type: "INTEGER" as const, integerValue: memory },
  { name: "PORTS", type: "STRINGSET" as const, stringSetValue: [] },
  { name: "PORTS_UDP", type: "STRINGSET" as const, stringSetValue: [] },
];

interface Host {
  readonly id: string;
  readonly zone: string;
  readonly memory: number;
  readonly cpu?: number;
  readonly tier?: string;
}

/** RunTask through the placement engine, and the PlanPlacement dry run, over the real store. */
describe("RunTask placement and PlanPlacement over the real store", () => {
  let sched: InProcessScheduler;

  beforeAll(async () => {
    sched = await startInProcessScheduler("placement");
    await sched.commands.send(
      RegisterTaskDefinition,
      {
        family: "worker",
        containerDefinitions: [{ name: "app", image: "flotilla-test/busybox", memory: 512 }],
      },
      meta,
    );
    await sched.commands.send(
      RegisterTaskDefinition,
      {
        family: "sized",
        containerDefinitions: [
          { name: "app", image: "flotilla-test/busybox", cpu: 1024, memory: 512 },
        ],
      },
      meta,
    );
  });
  afterAll(async () => {
    await sched?.stop();
  });

  /** A cluster of its own with these hosts; answers ec2 id → container instance ARN. */
  const cluster = async (name: string, hosts: readonly Host[]): Promise<Map<string, string>> => {
    await sched.commands.send(CreateCluster, { clusterName: name }, meta);
    const arns = new Map<string, string>();
    for (const h of hosts) {
      const { containerInstanceArn } = await sched.commands.send(
        RegisterContainerInstance,
        {
          cluster: name,
          ec2InstanceId: h.id,
          availabilityZone: h.zone,
          totalResources: resources(h.cpu ?? 4096, h.memory),
          attributes: h.tier === undefined ? [] : [{ name: "tier", value: h.tier }],
        },
        meta,
      );
      arns.set(h.id, containerInstanceArn);
    }
    return arns;
  };

  /** ec2 id → number of this cluster's tasks on it. */
  const tasksPerHost = async (clusterName: string, arns: Map<string, string>) => {
    const rows = await sched.tdb.db
      .selectFrom("tasks")
      .select("container_instance_arn")
      .where("cluster_name", "=", clusterName)
      .execute();
    const idOf = new Map([...arns].map(([id, arn]) => [arn, id]));
    const counts: Record<string, number> = {};
    for (const r of rows) {
      const id = idOf.get(r.container_instance_arn) ?? "?";
      counts[id] = (counts[id] ?? 0) + 1;
    }
    return counts;
  };

  const maxPosition = async (): Promise<number> =>
    Number(
      (
        await sql<{ p: string | null }>`SELECT max(position)::text AS p FROM events`.execute(
          sched.tdb.db,
        )
      ).rows[0]?.p ?? 0,
    );

  it("distinctInstance: one task of the group per instance, the rest a constraint failure", async () => {
    const arns = await cluster("distinct", [
      { id: "i-d1", zone: "z-a", memory: 4096 },
      { id: "i-d2", zone: "z-b", memory: 4096 },
      { id: "i-d3", zone: "z-c", memory: 4096 },
    ]);
    const run = await sched.commands.send(
      RunTask,
      {
        cluster: "distinct",
        taskDefinition: "worker",
        group: "batch",
        count: 4,
        placementConstraints: [{ type: "distinctInstance" }],
        placementStrategy: [{ type: "binpack", field: "memory" }],
      },
      meta,
    );
    expect(run.taskArns).toHaveLength(3);
    expect(await tasksPerHost("distinct", arns)).toEqual({ "i-d1": 1, "i-d2": 1, "i-d3": 1 });
    expect(run.failures).toEqual([
      expect.objectContaining({ reason: "DistinctInstance placement constraint unsatisfied." }),
    ]);

    // Another group is free to use the same instances.
    const other = await sched.commands.send(
      RunTask,
      {
        cluster: "distinct",
        taskDefinition: "worker",
        group: "other",
        count: 1,
        placementConstraints: [{ type: "distinctInstance" }],
      },
      meta,
    );
    expect(other.failures).toEqual([]);
  });

  it("memberOf on a custom attribute: only the members take tasks", async () => {
    const arns = await cluster("member", [
      { id: "i-m1", zone: "z-a", memory: 8192, tier: "gold" },
      { id: "i-m2", zone: "z-b", memory: 8192, tier: "silver" },
      { id: "i-m3", zone: "z-c", memory: 8192, tier: "gold" },
    ]);
    const run = await sched.commands.send(
      RunTask,
      {
        cluster: "member",
        taskDefinition: "worker",
        count: 6,
        placementConstraints: [{ type: "memberOf", expression: "attribute:tier == gold" }],
      },
      meta,
    );
    expect(run.failures).toEqual([]);
    // The default strategy spreads the family over the members.
    expect(await tasksPerHost("member", arns)).toEqual({ "i-m1": 3, "i-m3": 3 });

    const none = await sched.commands.send(
      RunTask,
      {
        cluster: "member",
        taskDefinition: "worker",
        placementConstraints: [{ type: "memberOf", expression: "attribute:tier == platinum" }],
      },
      meta,
    );
    expect(none.taskArns).toEqual([]);
    expect(none.failures[0]?.reason).toBe("MemberOf placement constraint unsatisfied.");

    const bad = await sched.commands
      .send(
        RunTask,
        {
          cluster: "member",
          taskDefinition: "worker",
          placementConstraints: [{ type: "memberOf", expression: "attribute:tier ==" }],
        },
        meta,
      )
      .catch((e: unknown) => e);
    expect(bad).toBeInstanceOf(EcsError);
    expect((bad as EcsError).type).toBe("InvalidParameterException");
  });

  it("binpack fills the fullest instance first; spread puts one on each", async () => {
    const hosts: Host[] = [
      { id: "i-b1", zone: "z-a", memory: 4096 },
      { id: "i-b2", zone: "z-b", memory: 2048 },
      { id: "i-b3", zone: "z-c", memory: 3072 },
    ];
    const packed = await cluster("binpack", hosts);
    const binpack = await sched.commands.send(
      RunTask,
      {
        cluster: "binpack",
        taskDefinition: "worker",
        count: 5,
        placementStrategy: [{ type: "binpack", field: "memory" }],
      },
      meta,
    );
    expect(binpack.failures).toEqual([]);
    // 2048 MiB takes 4 tasks of 512 before the next-least-free instance opens.
    expect(await tasksPerHost("binpack", packed)).toEqual({ "i-b2": 4, "i-b3": 1 });

    const spreadArns = await cluster(
      "spread",
      hosts.map((h) => ({ ...h, id: h.id.replace("b", "s") })),
    );
    const spread = await sched.commands.send(
      RunTask,
      {
        cluster: "spread",
        taskDefinition: "worker",
        count: 3,
        placementStrategy: [{ type: "spread", field: "instanceId" }],
      },
      meta,
    );
    expect(spread.failures).toEqual([]);
    expect(await tasksPerHost("spread", spreadArns)).toEqual({
      "i-s1": 1,
      "i-s2": 1,
      "i-s3": 1,
    });
  });

  it("hazard: concurrent RunTasks never over-commit an instance (re-checked on its stream)", async () => {
    const arns = await cluster("race", [{ id: "i-r1", zone: "z-a", memory: 1536 }]);
    const runs = await Promise.all(
      Array.from({ length: 6 }, () =>
        sched.commands.send(RunTask, { cluster: "race", taskDefinition: "worker" }, meta),
      ),
    );
    expect(runs.flatMap((r) => r.taskArns)).toHaveLength(3);
    expect(runs.flatMap((r) => r.failures.map((f) => f.reason))).toEqual(
      Array.from({ length: 3 }, () => "RESOURCE:MEMORY"),
    );
    const reserved = await sched.tdb.db
      .selectFrom("task_reservations")
      .select((e) => e.fn.sum<string>("memory").as("m"))
      .where("container_instance_arn", "=", arns.get("i-r1")!)
      .executeTakeFirstOrThrow();
    expect(Number(reserved.m)).toBe(1536);
  });

  it("PlanPlacement: placements, the closest instance and what it lacks, and nothing appended", async () => {
    // Each task takes 1024 CPU and 512 MiB: i-p1 runs out of memory after 2,
    // i-p2 out of CPU after 3. The sixth task fails on both; i-p1 got further
    // through the filter chain (CPU, then memory), so it is the closest.
    const arns = await cluster("dry", [
      { id: "i-p1", zone: "z-a", cpu: 4096, memory: 1024 },
      { id: "i-p2", zone: "z-b", cpu: 3072, memory: 4096 },
    ]);
    const before = await maxPosition();
    const plan = await sched.commands.send(
      PlanPlacement,
      { cluster: "dry", taskDefinition: "sized", count: 6 },
      meta,
    );
    expect(plan.placements).toHaveLength(5);
    const onP2 = plan.placements.filter((p) => p.containerInstanceArn === arns.get("i-p2"));
    expect(onP2).toHaveLength(3);
    expect(onP2[0]).toEqual({
      containerInstanceArn: arns.get("i-p2"),
      ec2InstanceId: "i-p2",
      availabilityZone: "z-b",
    });
    expect(plan.failures).toHaveLength(1);
    const [failure] = plan.failures;
    const id = (arn: string) => arn.slice(arn.lastIndexOf("/") + 1);
    expect(failure).toEqual({
      reason: "no container instance met all of its requirements.",
      closestContainerInstanceArn: arns.get("i-p1"),
      missing: "has insufficient memory available",
      code: "RESOURCE:MEMORY",
      message:
        "(task-definition sized:1) was unable to place a task because no container instance " +
        `met all of its requirements. The closest matching (container-instance ${id(arns.get("i-p1")!)}) ` +
        "has insufficient memory available. For more information, see the Troubleshooting " +
        "section of the Amazon ECS Developer Guide.",
    });
    expect(await maxPosition()).toBe(before);
    expect(await tasksPerHost("dry", arns)).toEqual({});

    // A definition not registered yet: planned as its family's next revision, registered never.
    const unregistered = await sched.commands.send(
      PlanPlacement,
      {
        cluster: "dry",
        taskDefinitionInput: {
          family: "sized",
          containerDefinitions: [{ name: "c", image: "busybox", cpu: 1024, memory: 2048 }],
        },
        count: 3,
      },
      meta,
    );
    expect(unregistered.placements.map((p) => p.ec2InstanceId)).toEqual(["i-p2", "i-p2"]);
    expect(unregistered.failures[0]?.message).toMatch(/^\(task-definition sized:2\) was unable/);
    expect(await maxPosition()).toBe(before);
    // Validated as RegisterTaskDefinition validates it, naming the field.
    await expect(
      sched.commands.send(
        PlanPlacement,
        {
          cluster: "dry",
          taskDefinitionInput: {
            family: "sized",
            containerDefinitions: [{ name: "c", image: "busybox" }],
          },
        },
        meta,
      ),
    ).rejects.toMatchObject({ type: "ClientException" });

    // A service: its group, constraints and the service event's wording.
    await sched.commands.send(
      CreateService,
      {
        cluster: "dry",
        serviceName: "web",
        taskDefinition: "worker",
        desiredCount: 0,
        placementConstraints: [
          { type: "memberOf", expression: "attribute:ecs.availability-zone == z-a" },
        ],
      },
      meta,
    );
    // The service scheduler records the new (empty) service's steady state; then all is quiet.
    await waitFor(
      async () =>
        (await sched.tdb.db
          .selectFrom("events")
          .select("position")
          .where("type", "=", "ServiceSteadyStateReached")
          .where("stream_id", "=", serviceStream("dry", "web"))
          .executeTakeFirst()) !== undefined,
      "the service's steady state",
    );
    const beforeService = await maxPosition();
    const forService = await sched.commands.send(
      PlanPlacement,
      { cluster: "dry", service: "web", count: 3 },
      meta,
    );
    expect(forService.placements.map((p) => p.ec2InstanceId)).toEqual(["i-p1", "i-p1"]);
    expect(forService.failures).toHaveLength(1);
    expect(forService.failures[0]).toMatchObject({
      closestContainerInstanceArn: arns.get("i-p2"),
      code: "CONSTRAINT:memberOf",
    });
    expect(forService.failures[0]?.message).toMatch(
      /^\(service web\) was unable to place a task because/,
    );
    expect(await maxPosition()).toBe(beforeService);
  });

  it("PlanPlacement over HTTP: X-Amz-Target FlotillaV1.PlanPlacement, AWS JSON 1.1", async () => {
    await cluster("http", [{ id: "i-h1", zone: "z-a", memory: 2048 }]);
    const app = buildApiServer({
      db: sched.tdb.db,
      commands: sched.commands,
      arn: { region: "us-east-1", accountId: "000000000000" },
      log: pino({ level: "silent" }),
      maxBodyBytes: 1 << 20,
      ready: () => Promise.resolve({ ready: true, checks: {} }),
      iam: testPrincipalDirectory(),
    });
    const post = async (body: unknown) => {
      const payload = JSON.stringify(body);
      return app.inject({
        method: "POST",
        url: "/",
        headers: await signedHeaders(
          {
            "content-type": "application/x-amz-json-1.1",
            "x-amz-target": "FlotillaV1.PlanPlacement",
          },
          payload,
        ),
        payload,
      });
    };
    const ok = await post({ cluster: "http", taskDefinition: "worker", count: 2 });
    expect(ok.statusCode).toBe(200);
    expect(ok.headers["content-type"]).toMatch(/^application\/x-amz-json-1\.1/);
    const body = ok.json<{ placements: { ec2InstanceId: string }[]; failures: unknown[] }>();
    expect(body.placements.map((p) => p.ec2InstanceId)).toEqual(["i-h1", "i-h1"]);
    expect(body.failures).toEqual([]);

    const both = await post({ cluster: "http", taskDefinition: "worker", service: "x" });
    expect(both.statusCode).toBe(400);
    expect(both.json<{ __type: string }>().__type).toBe("InvalidParameterException");
    const missing = await post({ cluster: "http", service: "nope" });
    expect(missing.json<{ __type: string }>().__type).toBe("ServiceNotFoundException");

    // RunTask's api action hands placementConstraints and placementStrategy to the scheduler.
    const runPayload = JSON.stringify({
      cluster: "http",
      taskDefinition: "worker",
      placementConstraints: [{ type: "memberOf", expression: "attribute:tier == gold" }],
      placementStrategy: [{ type: "binpack", field: "memory" }],
    });
    const run = await app.inject({
      method: "POST",
      url: "/",
      headers: await signedHeaders(
        {
          "content-type": "application/x-amz-json-1.1",
          "x-amz-target": "AmazonEC2ContainerServiceV20141113.RunTask",
        },
        runPayload,
      ),
      payload: runPayload,
    });
    expect(run.statusCode).toBe(200);
    expect(run.json<{ tasks: unknown[]; failures: { reason: string }[] }>()).toMatchObject({
      tasks: [],
      failures: [{ reason: "MemberOf placement constraint unsatisfied." }],
    });
    await app.close();
  });
});
