import { CreateServiceCommand } from "@aws-sdk/client-ecs";
import type { BenchResult } from "../suite.js";
import { withRatio } from "../suite.js";
import type { BenchCluster } from "./benchCluster.js";
import { percentile, round1 } from "./percentile.js";
import { GOAL, type ClusterSizes } from "./sizes.js";

export const MASS_PREFIX = "mass-";

/** The goal's rate: 100,000 tasks all RUNNING in 60 s. */
const GOAL_TASKS_PER_SECOND = Math.round(GOAL.tasks / 60);

/**
 * Services totalling `sizes.tasks` tasks created at once on the registered hollow
 * nodes. Times are from the first CreateService call (the client's clock) to the
 * RUNNING count seen in the tasks read model; the start
 * latency of each task is from its TaskCreated event to its first RUNNING
 * TaskStateChanged event (both the log's recorded_at). Polled every 500 ms.
 */
export const massStart = async (
  cluster: BenchCluster,
  sizes: ClusterSizes,
  taskDefinition: string,
  log: (line: string) => void,
): Promise<BenchResult[]> => {
  const suite = "cluster-scale";
  const from = await cluster.count("SELECT coalesce(max(position), 0) AS n FROM events");
  const counts = Array.from(
    { length: sizes.services },
    (_, i) => Math.floor(sizes.tasks / sizes.services) + (i < sizes.tasks % sizes.services ? 1 : 0),
  );
  const started = performance.now();
  await Promise.all(
    counts.map((desiredCount, i) =>
      cluster.ecs.send(
        new CreateServiceCommand({
          serviceName: `${MASS_PREFIX}${i}`,
          taskDefinition,
          desiredCount,
        }),
      ),
    ),
  );
  log(
    `  ${sizes.services} services created in ${((performance.now() - started) / 1000).toFixed(1)} s`,
  );
  let first: number | undefined;
  let lastLog = 0;
  const running = () =>
    cluster.count(
      "SELECT count(*) AS n FROM tasks WHERE last_status = 'RUNNING' AND task_group LIKE $1",
      [`service:${MASS_PREFIX}%`],
    );
  await cluster.until(
    `${sizes.tasks} tasks are RUNNING`,
    async () => {
      const n = await running();
      const now = performance.now();
      if (n > 0 && first === undefined) first = now;
      if (now - lastLog > 5_000) {
        lastLog = now;
        log(`  ${((now - started) / 1000).toFixed(0)} s: ${n}/${sizes.tasks} RUNNING`);
      }
      return n >= sizes.tasks;
    },
    Math.max(120_000, sizes.tasks * 50),
    500,
  );
  const allMs = performance.now() - started;
  const latencies = (
    await cluster.query<{ ms: number }>(
      `WITH created AS (
         SELECT data->>'taskArn' AS arn, recorded_at AS at FROM events
          WHERE position > $1 AND type = 'TaskCreated' AND data->>'group' LIKE $2
       ), running AS (
         SELECT data->>'taskArn' AS arn, min(recorded_at) AS at FROM events
          WHERE position > $1 AND type = 'TaskStateChanged' AND data->>'lastStatus' = 'RUNNING'
          GROUP BY 1
       )
       SELECT extract(epoch FROM r.at - c.at)::float8 * 1000 AS ms
         FROM created c JOIN running r USING (arn)`,
      [from, `service:${MASS_PREFIX}%`],
    )
  ).map((r) => r.ms);
  const events = await cluster.count("SELECT count(*) AS n FROM events WHERE position > $1", [
    from,
  ]);
  const size = `${sizes.tasks} tasks on ${sizes.nodes} nodes`;
  const perSecond = Math.round(sizes.tasks / (allMs / 1000));
  log(`  all RUNNING after ${(allMs / 1000).toFixed(1)} s (${perSecond} tasks/s)`);
  return [
    withRatio({
      suite,
      metric: `time to first RUNNING (s, ${size})`,
      value: round1(((first ?? performance.now()) - started) / 1000),
      unit: "s",
    }),
    ...([50, 95, 99] as const).map((p) =>
      withRatio({
        suite,
        metric: `task start p${p}, TaskCreated → RUNNING event (ms, ${size})`,
        value: round1(percentile(latencies, p)),
        unit: "ms",
      }),
    ),
    withRatio({
      suite,
      metric: `time until all RUNNING (s, ${size})`,
      value: round1(allMs / 1000),
      unit: "s",
      baseline: { metric: `goal for ${GOAL.tasks} tasks on ${GOAL.nodes} nodes (s)`, value: 60 },
    }),
    withRatio({
      suite,
      metric: `tasks started per second (${size})`,
      value: perSecond,
      unit: "tasks/s",
      baseline: { metric: "goal's rate (tasks/s)", value: GOAL_TASKS_PER_SECOND },
    }),
    withRatio({
      suite,
      metric: `events appended by the mass start (${size})`,
      value: events,
      unit: "events",
    }),
  ];
};
