import type { BenchResult } from "../suite.js";
import { withRatio } from "../suite.js";
import type { BenchCluster } from "./benchCluster.js";
import { round1 } from "./percentile.js";

/**
 * One fleet process, a tenth of the hollow nodes, killed with SIGKILL (the hosts
 * vanish with their containers). Detected: every one of its instances shows
 * agentConnected false; lost: every task on them is fenced (desiredStatus
 * STOPPED) by the service scheduler; replaced: every service's desiredCount is
 * RUNNING again on the nodes left. Each time is from the kill, polled every 100 ms.
 */
export const nodeLoss = async (
  cluster: BenchCluster,
  log: (line: string) => void,
): Promise<BenchResult[]> => {
  const suite = "cluster-scale";
  const victim = cluster.fleets[0]!;
  const ids = [...victim.agentIds];
  const lostTasks = await cluster.count(
    `SELECT count(*) AS n FROM tasks t JOIN container_instances ci USING (container_instance_arn)
      WHERE ci.ec2_instance_id = ANY($1) AND t.last_status <> 'STOPPED'`,
    [ids],
  );
  const started = performance.now();
  await cluster.killFleet(victim);
  const since = () => (performance.now() - started) / 1000;
  let detected = 0;
  let fenced = 0;
  let replaced = 0;
  await cluster.until(
    `the loss of ${ids.length} nodes is detected and their tasks replaced`,
    async () => {
      const [row] = await cluster.query<{ connected: string; unfenced: string; missing: string }>(
        `SELECT
           (SELECT count(*) FROM container_instances
             WHERE ec2_instance_id = ANY($1) AND agent_connected) AS connected,
           (SELECT count(*) FROM tasks t JOIN container_instances ci USING (container_instance_arn)
             WHERE ci.ec2_instance_id = ANY($1) AND t.desired_status = 'RUNNING') AS unfenced,
           (SELECT coalesce(sum(desired_count), 0) FROM services WHERE status = 'ACTIVE')
           - (SELECT count(*) FROM tasks t JOIN container_instances ci USING (container_instance_arn)
               WHERE NOT (ci.ec2_instance_id = ANY($1))
                 AND t.last_status = 'RUNNING' AND t.desired_status = 'RUNNING') AS missing`,
        [ids],
      );
      if (!detected && Number(row?.connected) === 0) detected = since();
      if (detected && !fenced && Number(row?.unfenced) === 0) fenced = since();
      if (fenced && !replaced && Number(row?.missing) <= 0) replaced = since();
      return replaced > 0;
    },
    180_000,
    100,
  );
  log(
    `  ${ids.length} nodes (${lostTasks} tasks) lost: detected after ${detected.toFixed(1)} s, fenced after ${fenced.toFixed(1)} s, replaced after ${replaced.toFixed(1)} s`,
  );
  const { intervalMs, timeoutMs } = cluster.heartbeat;
  const settings = `heartbeat ${intervalMs / 1000} s, timeout ${timeoutMs / 1000} s`;
  return [
    withRatio({
      suite,
      metric: `node loss of ${ids.length} nodes: kill → all disconnected (s; ${settings})`,
      value: round1(detected),
      unit: "s",
      baseline: { metric: "goal (s)", value: 15 },
    }),
    withRatio({
      suite,
      metric: `node loss: kill → their ${lostTasks} tasks marked lost (s)`,
      value: round1(fenced),
      unit: "s",
    }),
    withRatio({
      suite,
      metric: `node loss: detection → ${lostTasks} replacements RUNNING (s)`,
      value: round1(Math.max(0.1, replaced - detected)),
      unit: "s",
      baseline: { metric: "goal (s)", value: 30 },
    }),
  ];
};
