import type { BenchResult } from "../suite.js";
import { withRatio } from "../suite.js";
import type { BenchCluster } from "./benchCluster.js";
import { round1 } from "./percentile.js";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const runningTasks = async (cluster: BenchCluster): Promise<Set<string>> =>
  new Set(
    (
      await cluster.query<{ task_arn: string }>(
        "SELECT task_arn FROM tasks WHERE last_status = 'RUNNING' AND desired_status = 'RUNNING'",
      )
    ).map((r) => r.task_arn),
  );

/** Every ACTIVE service's tasks not yet STOPPED, against its desiredCount. */
const presentAndDesired = async (cluster: BenchCluster) => {
  const [row] = await cluster.query<{ present: string; desired: string; pending: string }>(
    `SELECT (SELECT count(*) FROM tasks WHERE last_status <> 'STOPPED') AS present,
            (SELECT coalesce(sum(desired_count), 0) FROM services WHERE status = 'ACTIVE') AS desired,
            (SELECT count(*) FROM tasks
              WHERE last_status <> 'STOPPED'
                AND (last_status <> 'RUNNING' OR desired_status <> 'RUNNING')) AS pending`,
  );
  return {
    present: Number(row?.present),
    desired: Number(row?.desired),
    pending: Number(row?.pending),
  };
};

/**
 * Every fleet process stopped (SIGTERM) and started again, one fleet (a tenth of
 * the hosts) after the other, as a rolling agent upgrade would: the hollow engines keep the containers
 * (hollowState.ts) and the agents adopt them. Then, once every agent is back and
 * nothing is pending, the same task set must be RUNNING (none lost) and each
 * service must have exactly its desiredCount (no duplicate).
 */
export const agentsRestart = async (
  cluster: BenchCluster,
  log: (line: string) => void,
): Promise<BenchResult[]> => {
  const suite = "cluster-scale";
  await cluster.until(
    "the cluster is steady before the restart",
    async () => {
      const s = await presentAndDesired(cluster);
      return s.pending === 0 && s.present === s.desired;
    },
    120_000,
  );
  const before = await runningTasks(cluster);
  const from = await cluster.count("SELECT coalesce(max(position), 0) AS n FROM events");
  const started = performance.now();
  for (const f of cluster.fleets) {
    await cluster.stopFleet(f);
    await cluster.startFleetAgain(f);
  }
  const backMs = performance.now() - started;
  log(`  every fleet restarted, one after the other, in ${(backMs / 1000).toFixed(1)} s`);
  // Time for the agents' first passes and the service scheduler's reaction to show,
  // then until the cluster is steady again (or a minute has passed: then it is counted
  // as it is).
  await sleep(3_000);
  for (const deadline = Date.now() + 60_000; Date.now() < deadline; await sleep(500)) {
    const s = await presentAndDesired(cluster);
    if (s.pending === 0 && s.present === s.desired) break;
  }
  const after = await runningTasks(cluster);
  const kept = [...before].filter((arn) => after.has(arn)).length;
  const { present, desired } = await presentAndDesired(cluster);
  const created = await cluster.count(
    "SELECT count(*) AS n FROM events WHERE position > $1 AND type = 'TaskCreated'",
    [from],
  );
  log(
    `  after the restart: ${kept}/${before.size} tasks still RUNNING, ${present} present for ${desired} desired, ${created} created meanwhile`,
  );
  return [
    withRatio({
      suite,
      metric: "all agents restarted, fleet after fleet: first SIGTERM → last fleet registered (s)",
      value: round1(backMs / 1000),
      unit: "s",
    }),
    withRatio({
      suite,
      metric: "tasks RUNNING after the restart, of those before (1.0 = none lost)",
      value: kept,
      unit: "tasks",
      baseline: { metric: "tasks RUNNING before", value: before.size },
    }),
    withRatio({
      suite,
      metric: "tasks present after the restart, against desiredCount (1.0 = no duplicate)",
      value: present,
      unit: "tasks",
      baseline: { metric: "sum of desiredCount", value: desired },
    }),
  ];
};
