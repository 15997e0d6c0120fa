import { DEV_CREDENTIALS, REGION, startIsolatedSystem } from "../isolatedSystem.js";
import type { BenchContext, BenchResult, BenchSuite } from "../suite.js";
import { withRatio } from "../suite.js";
import type { LoadFigures, LoadJob } from "./loadGenerator.js";
import { startLoadGenerator } from "./loadGeneratorClient.js";
import type { EcsCall } from "./signedRequest.js";
import { schedulerSteps } from "./schedulerSteps.js";
import { seedCluster } from "./seedCluster.js";

/** The write goal; the pool of distinct writes per level is sized to outlast it. */
const WRITE_GOAL_PER_SECOND = 1_000;

/**
 * Requests per second and latency of the api under autocannon in a process of its own, at
 * several concurrency levels: reads (DescribeServices, ListTasks) answered from the
 * projections, and writes (CreateService, UpdateService) along the whole command path
 * (api → NATS → scheduler → Postgres → answer read back). Every request is SigV4-signed.
 * A full run measures each level for 3 s after a warm-up; a tiny one (scale < 0.5) sends a
 * few requests per level instead, so the smoke test sees every path answer.
 */
export const api: BenchSuite = {
  name: "api",
  workload:
    "api + scheduler + autoscaler, a hollow fleet of 20 agents running 10 services × 10 tasks; autocannon in a child process, 3 s per action and concurrency (1, 16, 64 connections) after a 1 s warm-up, SigV4-signed: DescribeServices of the 10 services, ListTasks of the cluster (100 tasks), CreateService (desiredCount 0, a new name each), UpdateService (healthCheckGracePeriodSeconds, a new value each, over the services CreateService made); baseline: unsigned GET /healthz of the same api at the same concurrency",
  async run(ctx: BenchContext): Promise<BenchResult[]> {
    const tiny = ctx.scale < 0.5;
    const durationSeconds = 3 * Math.min(1, ctx.scale);
    const levels = tiny ? [4] : [1, 16, 64];
    const sys = await startIsolatedSystem(ctx, {
      label: "bench_api",
      services: ["api", "scheduler", "autoscaler"],
      ...(process.env.BENCH_API_NODE_OPTIONS
        ? { serviceEnv: { api: { NODE_OPTIONS: process.env.BENCH_API_NODE_OPTIONS } } }
        : {}),
    });
    const generator = await startLoadGenerator();
    try {
      console.log("  seeding a hollow cluster");
      const seeded = await seedCluster(sys, {
        agents: tiny ? 2 : 20,
        services: tiny ? 2 : 10,
        tasksPerService: tiny ? 2 : 10,
      });
      const load = (
        connections: number,
        job: Pick<LoadJob, "calls" | "get">,
        seconds = durationSeconds,
      ) =>
        generator.run({
          endpoint: sys.endpoint,
          credentials: DEV_CREDENTIALS,
          region: REGION,
          connections,
          durationSeconds: seconds,
          ...(tiny ? { amount: 2 * connections } : {}),
          ...job,
        });
      const warmUp = async (job: Pick<LoadJob, "calls" | "get">) => {
        if (!tiny) await load(16, job, 1);
      };
      const results: BenchResult[] = [];
      const report = (action: string, c: number, figures: LoadFigures, floor: LoadFigures) => {
        const failed = figures.non2xx + figures.errors;
        const note = failed > 0 ? `, ${failed} failed` : "";
        console.log(
          `  ${action} ×${c}: ${figures.okPerSecond} req/s, p50 ${figures.p50Ms} ms, p99 ${figures.p99Ms} ms (${figures.ok} ok${note})`,
        );
        results.push(
          withRatio({
            suite: "api",
            metric: `${action} ×${c} (req/s${note})`,
            value: figures.okPerSecond,
            unit: "req/s",
            baseline: { metric: `GET /healthz ×${c} (req/s)`, value: floor.okPerSecond },
          }),
          { suite: "api", metric: `${action} ×${c} p50 (ms)`, value: figures.p50Ms, unit: "ms" },
          { suite: "api", metric: `${action} ×${c} p99 (ms)`, value: figures.p99Ms, unit: "ms" },
        );
      };

      const floors = new Map<number, LoadFigures>();
      await warmUp({ get: "/healthz" });
      for (const c of levels) {
        const floor = await load(c, { get: "/healthz" });
        floors.set(c, floor);
        console.log(`  GET /healthz ×${c}: ${floor.okPerSecond} req/s, p99 ${floor.p99Ms} ms`);
      }
      const reads: [string, EcsCall][] = [
        [
          "DescribeServices",
          { action: "DescribeServices", input: { services: seeded.serviceNames.slice(0, 10) } },
        ],
        ["ListTasks", { action: "ListTasks", input: {} }],
      ];
      for (const [action, call] of reads) {
        await warmUp({ calls: [call] });
        for (const c of levels) report(action, c, await load(c, { calls: [call] }), floors.get(c)!);
      }

      const poolSize = Math.ceil(WRITE_GOAL_PER_SECOND * Math.max(1, durationSeconds) * 1.5);
      const createCalls = (prefix: string): EcsCall[] =>
        Array.from({ length: poolSize }, (_, i) => ({
          action: "CreateService",
          input: {
            serviceName: `${prefix}-${i}`,
            taskDefinition: seeded.taskDefinition,
            desiredCount: 0,
          },
        }));
      const schedulerUrl = sys.system.processes.scheduler!.healthUrl;
      const stepsBefore = await schedulerSteps(schedulerUrl);
      await warmUp({ calls: createCalls("warm") });
      for (const c of levels) {
        report("CreateService", c, await load(c, { calls: createCalls(`w${c}`) }), floors.get(c)!);
      }
      const { rows } = await sys.db.query<{ service_name: string }>(
        "SELECT service_name FROM services WHERE service_name NOT LIKE 'seeded-%' ORDER BY service_arn",
      );
      const created = rows.map((r) => r.service_name);
      let grace = 0;
      const updateCalls = (): EcsCall[] =>
        Array.from({ length: poolSize }, (_, i) => ({
          action: "UpdateService",
          input: { service: created[i % created.length], healthCheckGracePeriodSeconds: ++grace },
        }));
      await warmUp({ calls: updateCalls() });
      for (const c of levels) {
        report("UpdateService", c, await load(c, { calls: updateCalls() }), floors.get(c)!);
      }
      // Each write's event wakes the service controller for the whole cluster (docs/performance.md).
      const stepsAfter = await schedulerSteps(schedulerUrl);
      const steps = (o: string) => (stepsAfter[o] ?? 0) - (stepsBefore[o] ?? 0);
      console.log(
        `  service controller during the writes: ${steps("idle")} idle steps, ${steps("acted")} acted, ${steps("failed")} failed, over ${created.length} services`,
      );
      return results;
    } finally {
      await generator.close();
      await sys.stop();
    }
  },
};
