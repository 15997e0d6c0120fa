import { execFile } from "node:child_process";
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { sql } from "kysely";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../../../cli/main.js";
import { buildApiServer } from "../../../services/api/server.js";
import { rebuildAt } from "../../../shared/audit/index.js";
import {
  CreateCluster,
  RegisterContainerInstance,
  RegisterTaskDefinition,
} from "../../../shared/commands/scheduler/index.js";
import {
  startInProcessScheduler,
  type InProcessScheduler,
} from "../../fixtures/inProcessScheduler.js";
import { waitFor } from "../../fixtures/waitFor.js";
import { signedHeaders, testPrincipalDirectory } from "../../fixtures/iam.js";

const execFileAsync = promisify(execFile);
const ROOT = fileURLToPath(new URL("../../../", import.meta.url));
const ECS = "AmazonEC2ContainerServiceV20141113";
const P = "arn:aws:ecs:us-east-1:000000000000";
const SERVICE_ARN = `${P}:service/tt/web`;
const meta = { actor: "test", correlationId: "c" };

interface Point {
  readonly position: number;
  /** Epoch milliseconds, rounded up, of the last event's recorded time. */
  readonly atMs: number;
  readonly service: Record<string, unknown>;
  readonly requestId: string;
}

/** A service updated five times, described at each point by time and by position. */
describe("DescribeResourceAt: a service as DescribeServices showed it at each of five points", () => {
  let sched: InProcessScheduler;
  let app: ReturnType<typeof buildApiServer>;
  const points: Point[] = [];

  const call = async (target: string, body: unknown, actor = "AKIDALICE") => {
    const payload = JSON.stringify(body);
    const res = await app.inject({
      method: "POST",
      url: "/",
      headers: await signedHeaders(
        { "content-type": "application/x-amz-json-1.1", "x-amz-target": target },
        payload,
        actor,
      ),
      payload,
    });
    return {
      status: res.statusCode,
      body: res.json<Record<string, unknown>>(),
      requestId: String(res.headers["x-amzn-requestid"]),
    };
  };

  const maxPosition = async () =>
    Number(
      (
        await sql<{ p: string | null }>`SELECT max(position)::text AS p FROM events`.execute(
          sched.tdb.db,
        )
      ).rows[0]?.p ?? 0,
    );

  const describeNow = async () => {
    const out = await call(`${ECS}.DescribeServices`, {
      cluster: "tt",
      services: ["web"],
      include: ["TAGS"],
    });
    return (out.body.services as Record<string, unknown>[])[0]!;
  };

  /**
   * Once the service shows `desiredCount` and `taskDefinition`, waits for a
   * quiet moment (the same last position and the same DescribeServices answer
   * on two polls in a row) and records both: what DescribeServices said then.
   */
  const capture = async (desiredCount: number, taskDefinition: string, requestId: string) => {
    let last: { position: number; service: Record<string, unknown> } | undefined;
    await waitFor(async () => {
      const before = await maxPosition();
      const service = await describeNow();
      const after = await maxPosition();
      const ok =
        service.desiredCount === desiredCount &&
        service.taskDefinition === taskDefinition &&
        before === after &&
        last?.position === after &&
        JSON.stringify(last.service) === JSON.stringify(service);
      last = { position: after, service };
      return ok;
    }, `service web at desiredCount ${desiredCount}, quiet`);
    const { rows } = await sql<{ ms: string }>`
      SELECT ceil(extract(epoch FROM recorded_at) * 1000)::text AS ms FROM events WHERE position = ${last!.position}`.execute(
      sched.tdb.db,
    );
    points.push({ ...last!, atMs: Number(rows[0]!.ms), requestId });
  };

  beforeAll(async () => {
    sched = await startInProcessScheduler("timetravel");
    app = buildApiServer({
      db: sched.tdb.db,
      commands: sched.commands,
      arn: { region: "us-east-1", accountId: "000000000000" },
      log: pino({ level: "silent" }),
      maxBodyBytes: 1 << 20,
      ready: () => Promise.resolve({ ready: true, checks: {} }),
      iam: testPrincipalDirectory(),
    });
    await sched.commands.send(CreateCluster, { clusterName: "tt" }, meta);
    for (const family of ["web", "web"]) {
      await sched.commands.send(
        RegisterTaskDefinition,
        {
          family,
          containerDefinitions: [{ name: "app", image: "flotilla-test/busybox", memory: 64 }],
        },
        meta,
      );
    }
    await sched.commands.send(
      RegisterContainerInstance,
      {
        cluster: "tt",
        ec2InstanceId: "i-tt1",
        availabilityZone: "z-a",
        totalResources: [
          { name: "CPU", type: "INTEGER", integerValue: 4096 },
          { name: "MEMORY", type: "INTEGER", integerValue: 8192 },
          { name: "PORTS", type: "STRINGSET", stringSetValue: [] },
          { name: "PORTS_UDP", type: "STRINGSET", stringSetValue: [] },
        ],
        attributes: [],
      },
      meta,
    );
    const created = await call(`${ECS}.CreateService`, {
      cluster: "tt",
      serviceName: "web",
      taskDefinition: "web:1",
      desiredCount: 1,
    });
    expect(created.status).toBe(200);
    // Five updates: desired count up, task definition, desired count down twice, to 0 by Bob.
    const updates: [Record<string, unknown>, number, string, string?][] = [
      [{ desiredCount: 3 }, 3, `${P}:task-definition/web:1`],
      [{ taskDefinition: "web:2" }, 3, `${P}:task-definition/web:2`],
      [{ desiredCount: 2 }, 2, `${P}:task-definition/web:2`],
      [{ desiredCount: 4, taskDefinition: "web:1" }, 4, `${P}:task-definition/web:1`],
      [{ desiredCount: 0 }, 0, `${P}:task-definition/web:1`, "AKIDBOB"],
    ];
    for (const [change, desired, td, actor] of updates) {
      const out = await call(
        `${ECS}.UpdateService`,
        { cluster: "tt", service: "web", ...change },
        actor,
      );
      expect(out.status).toBe(200);
      await capture(desired, td, out.requestId);
    }
  }, 120_000);
  afterAll(async () => {
    await app?.close();
    await sched?.stop();
  });

  it("by position: the same service object DescribeServices returned at each point", async () => {
    expect(new Set(points.map((p) => p.position)).size).toBe(5);
    for (const point of points) {
      const out = await call("FlotillaV1.DescribeResourceAt", {
        resourceArn: SERVICE_ARN,
        position: point.position,
      });
      expect(out.status).toBe(200);
      expect(out.body).toEqual({ position: point.position, service: point.service });
    }
  });

  it("by time: the last position recorded at or before it, so the same answers", async () => {
    for (const point of points) {
      const out = await call("FlotillaV1.DescribeResourceAt", {
        resourceArn: SERVICE_ARN,
        at: point.atMs / 1000,
      });
      expect(out.status).toBe(200);
      expect(out.body.position).toBe(point.position);
      expect(out.body.service).toEqual(point.service);
    }
  });

  it("before the service existed: ResourceNotFoundException naming resourceArn; both at and position: refused", async () => {
    const before = await call("FlotillaV1.DescribeResourceAt", {
      resourceArn: SERVICE_ARN,
      position: 1,
    });
    expect(before.status).toBe(400);
    expect(before.body.__type).toBe("ResourceNotFoundException");
    expect(String(before.body.message)).toMatch(/^resourceArn: /);
    const both = await call("FlotillaV1.DescribeResourceAt", {
      resourceArn: SERVICE_ARN,
      position: 1,
      at: 1,
    });
    expect(both.status).toBe(400);
  });

  it("a task definition revision as of a position: DescribeTaskDefinition's shape", async () => {
    const now = await call(`${ECS}.DescribeTaskDefinition`, {
      taskDefinition: "web:2",
      include: ["TAGS"],
    });
    const then = await call("FlotillaV1.DescribeResourceAt", {
      resourceArn: `${P}:task-definition/web:2`,
      position: points[0]!.position,
    });
    expect(then.body).toEqual({ position: points[0]!.position, ...now.body });
  });

  it("a cluster, a task and a container instance at the last point: what their Describe actions answer now", async () => {
    const task = (await call(`${ECS}.ListTasks`, { cluster: "tt", desiredStatus: "STOPPED" })).body
      .taskArns as string[];
    const instance = (await call(`${ECS}.ListContainerInstances`, { cluster: "tt" })).body
      .containerInstanceArns as string[];
    const cases: [string, string, unknown, string][] = [
      [
        `${P}:cluster/tt`,
        `${ECS}.DescribeClusters`,
        {
          clusters: ["tt"],
          include: ["ATTACHMENTS", "CONFIGURATIONS", "SETTINGS", "STATISTICS", "TAGS"],
        },
        "clusters",
      ],
      [
        task[0]!,
        `${ECS}.DescribeTasks`,
        { cluster: "tt", tasks: [task[0]], include: ["TAGS"] },
        "tasks",
      ],
      [
        instance[0]!,
        `${ECS}.DescribeContainerInstances`,
        {
          cluster: "tt",
          containerInstances: [instance[0]],
          include: ["TAGS", "CONTAINER_INSTANCE_HEALTH"],
        },
        "containerInstances",
      ],
    ];
    for (const [arn, target, body, key] of cases) {
      // What the Describe action answers at a position no write moved past meanwhile.
      let now: unknown[] = [];
      let position = 0;
      await waitFor(async () => {
        position = await maxPosition();
        now = (await call(target, body)).body[key] as unknown[];
        return (await maxPosition()) === position;
      }, "a quiet moment");
      const then = await call("FlotillaV1.DescribeResourceAt", { resourceArn: arn, position });
      expect(then.status).toBe(200);
      const singular = key.slice(0, -1);
      expect(then.body).toEqual({ position, [singular]: now[0] });
    }
  });

  it("who set web's desired count to 0, when, from which request: one GetResourceHistory call", async () => {
    const out = await call("FlotillaV1.GetResourceHistory", {
      resourceArn: SERVICE_ARN,
      eventTypes: ["ServiceUpdated"],
      maxResults: 1,
    });
    const [last] = out.body.events as {
      eventType: string;
      position: number;
      data: { desiredCount?: number };
      metadata: { actor: string; requestId: string };
    }[];
    expect(last).toMatchObject({
      eventType: "ServiceUpdated",
      data: { desiredCount: 0 },
      metadata: { actor: "AKIDBOB", requestId: points[4]!.requestId },
    });
    expect(out.body.nextToken).toBeTypeOf("string");
  });

  it("rebuild-at a time: every projection as of then, in its own schema, the live tables untouched", async () => {
    const point = points[2]!;
    const result = await rebuildAt(sched.tdb.db, { time: new Date(point.atMs) }, "asof_point3");
    expect(result.position).toBe(point.position);
    const { rows } = await sql<{ desired_count: number; task_definition_arn: string }>`
      SELECT desired_count, task_definition_arn FROM asof_point3.services WHERE service_name = 'web'`.execute(
      sched.tdb.db,
    );
    expect(rows).toEqual([{ desired_count: 2, task_definition_arn: `${P}:task-definition/web:2` }]);
    const tasksThen = await sql<{
      n: string;
    }>`SELECT count(*)::text AS n FROM asof_point3.tasks`.execute(sched.tdb.db);
    const tasksLiveThenByFold = await call("FlotillaV1.DescribeResourceAt", {
      resourceArn: SERVICE_ARN,
      position: point.position,
    });
    expect(tasksLiveThenByFold.body.service).toEqual(point.service);
    expect(Number(tasksThen.rows[0]!.n)).toBeGreaterThan(0);
    const live = await sched.tdb.db
      .selectFrom("services")
      .select("desired_count")
      .where("service_name", "=", "web")
      .executeTakeFirstOrThrow();
    expect(live.desired_count).toBe(0);
    await sql`DROP SCHEMA asof_point3 CASCADE`.execute(sched.tdb.db);
  });

  it("the CLI: flotilla history and flotilla describe-at against the api", async () => {
    await app.listen({ port: 0, host: "127.0.0.1" });
    const url = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
    const run = async (...argv: string[]) => {
      const out: string[] = [];
      const err: string[] = [];
      const code = await runCli(argv, {
        out: (l) => out.push(l),
        err: (l) => err.push(l),
        env: {},
      });
      return { code, out, err };
    };
    const h = await run(
      "history",
      SERVICE_ARN,
      "--type",
      "ServiceUpdated",
      "--limit",
      "3",
      "--endpoint-url",
      url,
    );
    expect(h.code).toBe(0);
    expect(h.out[0]).toMatch(/^POSITION\s+RECORDED\s+TYPE\s+ACTOR\s+REQUEST/);
    expect(h.out.slice(1).map((l) => l.split(/\s+/)[3])).toEqual([
      "AKIDBOB",
      "AKIDALICE",
      "AKIDALICE",
    ]);
    expect(h.out[1]).toContain(points[4]!.requestId);
    expect(h.err.join("\n")).toMatch(/more events/);

    const all = await run(
      "history",
      SERVICE_ARN,
      "--oldest-first",
      "--json",
      "--limit",
      "1000",
      "--endpoint-url",
      url,
    );
    const events = JSON.parse(all.out.join("\n")) as { position: number }[];
    const positions = events.map((e) => e.position);
    expect(positions).toEqual([...positions].sort((a, b) => a - b));
    expect(new Set(positions).size).toBe(positions.length);

    const d = await run(
      "describe-at",
      SERVICE_ARN,
      "--position",
      String(points[1]!.position),
      "--endpoint-url",
      url,
    );
    expect(d.code).toBe(0);
    expect(JSON.parse(d.out.join("\n"))).toEqual({
      position: points[1]!.position,
      service: points[1]!.service,
    });

    const bad = await run("describe-at", SERVICE_ARN, "--endpoint-url", url);
    expect(bad.code).toBe(2);

    // The real command, as a user runs it (bin/flotilla.mjs).
    const bin = await execFileAsync(
      process.execPath,
      ["bin/flotilla.mjs", "history", SERVICE_ARN, "--limit", "6", "--endpoint-url", url],
      { cwd: ROOT },
    );
    expect(bin.stdout).toMatch(/ServiceUpdated\s+AKIDBOB\s+\S+\s+service:tt\/web@/);
  });
});
