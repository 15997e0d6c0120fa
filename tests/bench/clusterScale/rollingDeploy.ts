import {
  CreateServiceCommand,
  DescribeServicesCommand,
  UpdateServiceCommand,
} from "@aws-sdk/client-ecs";
import type { BenchResult } from "../suite.js";
import { withRatio } from "../suite.js";
import type { BenchCluster } from "./benchCluster.js";
import { registerBenchTaskDefinition } from "./benchTaskDefinition.js";
import { round1 } from "./percentile.js";
import type { ClusterSizes } from "./sizes.js";

const SERVICE = "rolling";

/**
 * A service of `sizes.rollingTasks` tasks, all RUNNING, moved to a new task
 * definition revision with ECS's default deployment configuration (100 %
 * minimum healthy, 200 % maximum): seconds from UpdateService until
 * DescribeServices shows the new deployment COMPLETED (polled every 250 ms).
 */
export const rollingDeploy = async (
  cluster: BenchCluster,
  sizes: ClusterSizes,
  taskDefinition: string,
  log: (line: string) => void,
): Promise<BenchResult[]> => {
  const n = sizes.rollingTasks;
  await cluster.ecs.send(
    new CreateServiceCommand({ serviceName: SERVICE, taskDefinition, desiredCount: n }),
  );
  await cluster.until(
    `the ${n} tasks of ${SERVICE} are RUNNING`,
    async () =>
      (await cluster.count(
        "SELECT count(*) AS n FROM tasks WHERE last_status = 'RUNNING' AND task_group = $1",
        [`service:${SERVICE}`],
      )) >= n,
    Math.max(120_000, n * 100),
  );
  const next = await registerBenchTaskDefinition(cluster.ecs, "2");
  const started = performance.now();
  await cluster.ecs.send(new UpdateServiceCommand({ service: SERVICE, taskDefinition: next }));
  await cluster.until(
    `the deployment of ${SERVICE} is COMPLETED`,
    async () => {
      const service = (await cluster.ecs.send(new DescribeServicesCommand({ services: [SERVICE] })))
        .services?.[0];
      const primary = service?.deployments?.find((d) => d.status === "PRIMARY");
      return (
        primary?.taskDefinition === next &&
        primary.rolloutState === "COMPLETED" &&
        service?.deployments?.length === 1
      );
    },
    Math.max(120_000, n * 200),
  );
  const seconds = (performance.now() - started) / 1000;
  log(`  rolling deployment of ${n} tasks COMPLETED in ${seconds.toFixed(1)} s`);
  return [
    withRatio({
      suite: "cluster-scale",
      metric: `rolling deployment of ${n} tasks: UpdateService → COMPLETED (s)`,
      value: round1(seconds),
      unit: "s",
      baseline: { metric: "goal for 1,000 tasks (s)", value: 60 },
    }),
  ];
};
