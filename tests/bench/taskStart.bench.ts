import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { promisify } from "node:util";
import {
  DescribeTasksCommand,
  ListContainerInstancesCommand,
  RegisterTaskDefinitionCommand,
  RunTaskCommand,
  StopTaskCommand,
} from "@aws-sdk/client-ecs";
import Docker from "dockerode";
import { startIsolatedSystem } from "./isolatedSystem.js";
import type { BenchContext, BenchResult, BenchSuite } from "./suite.js";
import { withRatio } from "./suite.js";
import { median, percentile } from "./percentile.js";

const run = promisify(execFile);
const IMAGE = "flotilla-test/busybox:latest";
const HTTPD = ["httpd", "-f", "-p", "8080", "-h", "/www"];

const round = (ms: number) => Math.round(ms * 10) / 10;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** One task's start, as the client, the log and Docker saw it (epoch ms). */
interface StartTrace {
  readonly taskArn: string;
  readonly sent: number;
  readonly answered: number;
  readonly seenRunning: number;
}

/**
 * Where the starts' time went (medians), from the event log and Docker's own timestamps:
 * until Docker creates the container (api, scheduler, the agent's notification, manifest,
 * plan and image check; RunTask's answer overlaps it), Docker's create and start, and the
 * agent's RUNNING report.
 */
const printBreakdown = async (
  traces: readonly StartTrace[],
  db: { query<R>(sql: string, values: unknown[]): Promise<{ rows: R[] }> },
  docker: Docker,
): Promise<void> => {
  const [answered, created, started, recorded, seen]: [
    number[],
    number[],
    number[],
    number[],
    number[],
  ] = [[], [], [], [], []];
  const phases: [string, number[]][] = [
    ["RunTask answered", answered],
    ["container created (api, scheduler, notify, agent: manifest, plan, image)", created],
    ["→ container started (Docker create + start)", started],
    ["→ RUNNING recorded (agent: observe, report; scheduler: append)", recorded],
    ["→ RUNNING seen by DescribeTasks (20 ms polling)", seen],
  ];
  for (const t of traces) {
    const { rows } = await db.query<{ at: Date }>(
      `SELECT recorded_at AS at FROM events
        WHERE type = 'TaskStateChanged' AND data->>'taskArn' = $1 AND data->>'lastStatus' = 'RUNNING'
        ORDER BY position LIMIT 1`,
      [t.taskArn],
    );
    const [container] = await docker.listContainers({
      all: true,
      filters: { label: [`com.flotilla.task-arn=${t.taskArn}`] },
    });
    if (!rows[0] || !container) continue;
    const info = await docker.getContainer(container.Id).inspect();
    const createdAt = Date.parse(info.Created);
    const startedAt = Date.parse(info.State.StartedAt);
    const runningAt = rows[0].at.getTime();
    answered.push(t.answered - t.sent);
    created.push(createdAt - t.sent);
    started.push(startedAt - createdAt);
    recorded.push(runningAt - startedAt);
    seen.push(t.seenRunning - runningAt);
  }
  for (const [phase, values] of phases) {
    console.log(`    ${phase}: median ${round(median(values))} ms`);
  }
};

/**
 * RunTask → RUNNING through the whole system (api, scheduler, agent, Docker),
 * beside `docker run -d` of the same image and command on the same engine in
 * the same run. Polls DescribeTasks every 20 ms, as a tight client would.
 */
export const taskStart: BenchSuite = {
  name: "task-start",
  workload:
    "busybox httpd with a dynamic host port on 127.0.0.1: RunTask until DescribeTasks says RUNNING (20 ms polling), one task at a time (each stopped before the next starts), 20 tasks; baseline: `docker run -d -p 127.0.0.1::8080` of the same image and command until it returns (then `docker rm -f`), interleaved with the tasks one for one",
  async run(ctx: BenchContext): Promise<BenchResult[]> {
    const n = Math.max(1, Math.round(20 * ctx.scale));
    const agentId = `i-bench-start-${randomBytes(4).toString("hex")}`;
    const sys = await startIsolatedSystem(ctx, {
      label: "bench_start",
      serviceEnv: {
        agent: {
          FLOTILLA_AGENT_ID: agentId,
          HEARTBEAT_INTERVAL_MS: "1000",
          FLOTILLA_AGENT_STOP_TIMEOUT_SECONDS: "0",
        },
      },
    });
    const { ecs } = sys;
    const docker = new Docker();
    const label = `bench=${sys.name}`;
    try {
      while (
        !(await ecs.send(new ListContainerInstancesCommand({}))).containerInstanceArns?.length
      ) {
        await sleep(100);
      }
      await ecs.send(
        new RegisterTaskDefinitionCommand({
          family: "bench-httpd",
          containerDefinitions: [
            {
              name: "web",
              image: IMAGE,
              memory: 16,
              command: HTTPD,
              portMappings: [{ containerPort: 8080, hostPort: 0 }],
            },
          ],
        }),
      );
      // Interleaved, one of each in turn, so both see the same machine while its load varies.
      const traces: StartTrace[] = [];
      const plain: number[] = [];
      for (let i = 0; i < n; i++) {
        const sent = Date.now();
        const out = await ecs.send(new RunTaskCommand({ taskDefinition: "bench-httpd" }));
        const answered = Date.now();
        const taskArn = out.tasks?.[0]?.taskArn;
        if (!taskArn) throw new Error(`RunTask failed: ${JSON.stringify(out.failures)}`);
        for (;;) {
          const t = (await ecs.send(new DescribeTasksCommand({ tasks: [taskArn] }))).tasks?.[0];
          if (t?.lastStatus === "RUNNING") break;
          if (t?.lastStatus === "STOPPED") throw new Error(`task stopped: ${t.stoppedReason}`);
          await sleep(20);
        }
        traces.push({ taskArn, sent, answered, seenRunning: Date.now() });
        // Untimed: the next start gets a quiet engine, as each `docker run` does.
        await ecs.send(new StopTaskCommand({ task: taskArn }));
        while (
          (await ecs.send(new DescribeTasksCommand({ tasks: [taskArn] }))).tasks?.[0]
            ?.lastStatus !== "STOPPED"
        ) {
          await sleep(50);
        }

        const started = performance.now();
        const { stdout } = await run("docker", [
          "run",
          "-d",
          "--label",
          label,
          "-p",
          "127.0.0.1::8080",
          IMAGE,
          ...HTTPD,
        ]);
        plain.push(performance.now() - started);
        await docker.getContainer(stdout.trim()).remove({ force: true });
        if ((i + 1) % 5 === 0) console.log(`  ${i + 1} of ${n} started both ways`);
      }
      await printBreakdown(traces, sys.db, docker);
      const flotilla = traces.map((t) => t.seenRunning - t.sent);
      return [
        withRatio({
          suite: "task-start",
          metric: `RunTask → RUNNING median (ms, n=${n})`,
          value: round(median(flotilla)),
          unit: "ms",
          baseline: { metric: "docker run -d median (ms)", value: round(median(plain)) },
        }),
        withRatio({
          suite: "task-start",
          metric: `RunTask → RUNNING p95 (ms, n=${n})`,
          value: round(percentile(flotilla, 95)),
          unit: "ms",
          baseline: { metric: "docker run -d p95 (ms)", value: round(percentile(plain, 95)) },
        }),
      ];
    } finally {
      const leftovers = await docker
        .listContainers({ all: true, filters: { label: [label] } })
        .catch(() => []);
      for (const c of leftovers) {
        await docker
          .getContainer(c.Id)
          .remove({ force: true })
          .catch(() => undefined);
      }
      await sys.stop();
    }
  },
};
