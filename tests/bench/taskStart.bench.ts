import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { promisify } from "node:util";
import {
  DescribeTasksCommand,
  ECSClient,
  ListContainerInstancesCommand,
  RegisterTaskDefinitionCommand,
  RunTaskCommand,
  StopTaskCommand,
} from "@aws-sdk/client-ecs";
import { jetstreamManager } from "@nats-io/jetstream";
import { connect } from "@nats-io/transport-node";
import Docker from "dockerode";
import { eventStreamName } from "../../shared/bus/index.js";
import pg from "pg";
import { findFreePorts, startSystem } from "../../scripts/supervisor.js";
import type { BenchContext, BenchResult, BenchSuite } from "./suite.js";
import { withRatio } from "./suite.js";

const run = promisify(execFile);
const IMAGE = "flotilla-test/busybox:latest";
const HTTPD = ["httpd", "-f", "-p", "8080", "-h", "/www"];

const percentile = (values: readonly number[], p: number): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
};
const round = (ms: number) => Math.round(ms * 10) / 10;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * RunTask → RUNNING through the whole system (api, scheduler, agent, Docker),
 * beside `docker run -d` of the same image and command on the same engine in
 * the same run. Polls DescribeTasks every 20 ms, as a tight client would.
 */
export const taskStart: BenchSuite = {
  name: "task-start",
  workload:
    "busybox httpd with a dynamic host port on 127.0.0.1: RunTask until DescribeTasks says RUNNING (20 ms polling), one task at a time; baseline: `docker run -d -p 127.0.0.1::8080` of the same image and command until it returns",
  async run(ctx: BenchContext): Promise<BenchResult[]> {
    const n = Math.max(1, Math.round(20 * ctx.scale));
    const name = `bench_start_${randomBytes(4).toString("hex")}`;
    const admin = new pg.Client({ connectionString: ctx.databaseUrl });
    await admin.connect();
    await admin.query(`CREATE DATABASE "${name}"`);
    const url = new URL(ctx.databaseUrl);
    url.pathname = `/${name}`;
    const [port, s, a, g] = await findFreePorts(4);
    const agentId = `i-${name.replace(/_/g, "-")}`;
    const system = await startSystem({
      databaseUrl: url.toString(),
      natsUrl: ctx.natsUrl,
      prefix: name,
      port: port!,
      healthPorts: { scheduler: s!, autoscaler: a!, agent: g! },
      env: { ...process.env, LOG_LEVEL: "warn" },
      serviceEnv: {
        agent: {
          FLOTILLA_AGENT_ID: agentId,
          HEARTBEAT_INTERVAL_MS: "1000",
          FLOTILLA_AGENT_STOP_TIMEOUT_SECONDS: "1",
        },
      },
    });
    const ecs = new ECSClient({
      endpoint: system.endpoint,
      region: "us-east-1",
      credentials: { accessKeyId: "test", secretAccessKey: "test" },
    });
    const docker = new Docker();
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
      const flotilla: number[] = [];
      for (let i = 0; i < n; i++) {
        const started = performance.now();
        const out = await ecs.send(new RunTaskCommand({ taskDefinition: "bench-httpd" }));
        const taskArn = out.tasks?.[0]?.taskArn;
        if (!taskArn) throw new Error(`RunTask failed: ${JSON.stringify(out.failures)}`);
        for (;;) {
          const t = (await ecs.send(new DescribeTasksCommand({ tasks: [taskArn] }))).tasks?.[0];
          if (t?.lastStatus === "RUNNING") break;
          if (t?.lastStatus === "STOPPED") throw new Error(`task stopped: ${t.stoppedReason}`);
          await sleep(20);
        }
        flotilla.push(performance.now() - started);
        await ecs.send(new StopTaskCommand({ task: taskArn }));
      }
      const plain: number[] = [];
      for (let i = 0; i < n; i++) {
        const started = performance.now();
        const { stdout } = await run("docker", [
          "run",
          "-d",
          "--label",
          `bench=${name}`,
          "-p",
          "127.0.0.1::8080",
          IMAGE,
          ...HTTPD,
        ]);
        plain.push(performance.now() - started);
        await docker.getContainer(stdout.trim()).remove({ force: true });
      }
      const p50 = percentile(flotilla, 50);
      const base50 = percentile(plain, 50);
      return [
        withRatio({
          suite: "task-start",
          metric: `RunTask → RUNNING p50 (ms, n=${n})`,
          value: round(p50),
          unit: "ms",
          baseline: { metric: "docker run -d p50 (ms)", value: round(base50) },
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
      ecs.destroy();
      await system.stop();
      const leftovers = await docker.listContainers({
        all: true,
        filters: { label: [`com.flotilla.agent-id=${agentId}`] },
      });
      for (const c of leftovers) await docker.getContainer(c.Id).remove({ force: true });
      const nc = await connect({ servers: ctx.natsUrl });
      await (await jetstreamManager(nc)).streams.delete(eventStreamName(name)).catch(() => false);
      await nc.close();
      await admin.query(`DROP DATABASE IF EXISTS "${name}"`).catch(() => undefined);
      await admin.end();
    }
  },
};
