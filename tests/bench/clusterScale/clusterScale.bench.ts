import type { BenchContext, BenchResult, BenchSuite } from "../suite.js";
import { withRatio } from "../suite.js";
import { agentsRestart } from "./agentsRestart.js";
import { AGENT_POLLS, BenchCluster, HEARTBEAT } from "./benchCluster.js";
import { registerBenchTaskDefinition } from "./benchTaskDefinition.js";
import { buildFleet } from "./buildFleet.js";
import { massStart } from "./massStart.js";
import { nodeLoss } from "./nodeLoss.js";
import { round1 } from "./percentile.js";
import { rollingDeploy } from "./rollingDeploy.js";
import { clusterSizes, FULL, GOAL } from "./sizes.js";

const MIB = 1024 * 1024;

/** Peak RSS of every process; the hollow fleets' also per node. */
const memoryResults = (
  peaks: ReadonlyMap<string, number>,
  agentsPerFleet: number,
  oneNodeFleet: number,
): BenchResult[] => {
  const fleets = [...peaks].filter(([name]) => name.startsWith("fleet-"));
  const fleetPeak = Math.max(...fleets.map(([, bytes]) => bytes));
  return [
    ...[...peaks]
      .filter(([name]) => !name.startsWith("fleet-"))
      .map(([name, bytes]) =>
        withRatio({
          suite: "cluster-scale",
          metric: `peak RSS of the ${name} (MiB)`,
          value: round1(bytes / MIB),
          unit: "MiB",
        }),
      ),
    withRatio({
      suite: "cluster-scale",
      metric: `peak RSS of a hollow fleet process, largest of ${fleets.length} (MiB, ${agentsPerFleet} nodes each)`,
      value: round1(fleetPeak / MIB),
      unit: "MiB",
    }),
    withRatio({
      suite: "cluster-scale",
      metric: "hollow node: fleet peak RSS ÷ its nodes (bytes, the process's own share included)",
      value: Math.round(fleetPeak / agentsPerFleet),
      unit: "bytes",
      baseline: { metric: "goal (bytes)", value: 2 * MIB },
    }),
    withRatio({
      suite: "cluster-scale",
      metric: `hollow node, marginal: (fleet peak − a 1-node fleet's ${round1(oneNodeFleet / MIB)} MiB) ÷ its nodes (bytes)`,
      value: Math.max(1, Math.round((fleetPeak - oneNodeFleet) / Math.max(1, agentsPerFleet - 1))),
      unit: "bytes",
      baseline: { metric: "goal (bytes)", value: 2 * MIB },
    }),
  ];
};

/**
 * Cluster at scale, in the spirit of Kubemark and Nomad's C1M: hollow agents
 * (many per process) in one cluster of an isolated api + scheduler; a mass start
 * of services, a rolling deployment, a restart of every agent, and the loss of a
 * tenth of the nodes, in that order on the same cluster.
 */
export const clusterScale: BenchSuite = {
  name: "cluster-scale",
  workload: `hollow nodes in 10 fleet processes (scale 1: ${FULL.tasks} tasks in services of 1,000 on ${FULL.nodes} nodes, the goal being ${GOAL.tasks} on ${GOAL.nodes}); then a ${FULL.rollingTasks}-task rolling deployment, a restart of every agent, and the loss of one fleet (10 % of the nodes); agents heartbeat every ${HEARTBEAT.intervalMs / 1000} s, the scheduler's timeout is ${HEARTBEAT.timeoutMs / 1000} s, agents poll manifests every ${AGENT_POLLS.reconcileMs / 1000} s (notifications in between)`,
  async run(ctx: BenchContext): Promise<BenchResult[]> {
    // BENCH_CLUSTER_SCALE runs another size (profiling, before/after comparisons on a busy
    // machine); BENCH_CLUSTER_SCENARIOS=mass runs the mass start alone.
    const sizes = clusterSizes(Number(process.env.BENCH_CLUSTER_SCALE ?? ctx.scale));
    const massOnly = process.env.BENCH_CLUSTER_SCENARIOS === "mass";
    const log = (line: string) => console.log(line);
    log(
      `  ${sizes.nodes} nodes in ${sizes.fleets} fleets; ${sizes.tasks} tasks in ${sizes.services} services; rolling ${sizes.rollingTasks}`,
    );
    await buildFleet();
    const cluster = await BenchCluster.start(ctx, sizes.nodes, sizes.fleets, log);
    try {
      const oneNodeFleet = await cluster.measureOneNodeFleet();
      const rssAtStart = await cluster.schedulerRss();
      const taskDefinition = await registerBenchTaskDefinition(cluster.ecs, "1");
      const timed = async (name: string, scenario: () => Promise<BenchResult[]>) => {
        const started = performance.now();
        const out = await scenario();
        log(`  (${name} took ${((performance.now() - started) / 1000).toFixed(0)} s)`);
        return out;
      };
      const results = [
        ...(await timed("mass start", () => massStart(cluster, sizes, taskDefinition, log))),
      ];
      if (!massOnly) {
        results.push(
          ...(await timed("rolling deployment", () =>
            rollingDeploy(cluster, sizes, taskDefinition, log),
          )),
          ...(await timed("agents restart", () => agentsRestart(cluster, log))),
          ...(await timed("node loss", () => nodeLoss(cluster, log))),
        );
      }
      const rssAtEnd = await cluster.schedulerRss();
      return [
        ...results,
        ...memoryResults(await cluster.peakMemory(), sizes.nodes / sizes.fleets, oneNodeFleet),
        withRatio({
          suite: "cluster-scale",
          metric: "scheduler RSS after every scenario (MiB)",
          value: round1(rssAtEnd / MIB),
          unit: "MiB",
          baseline: {
            metric: "its RSS once the nodes registered (MiB)",
            value: round1(rssAtStart / MIB),
          },
        }),
      ];
    } finally {
      await cluster.stop();
    }
  },
};
