import type { Kysely } from "kysely";
import type { Database } from "../../../shared/db/index.js";
import type { MetricSource } from "../../../shared/metrics/metricSource.js";

export interface ServiceRowFacts {
  readonly desiredCount: number;
  readonly deploymentInProgress: boolean;
}

/**
 * The ACTIVE ECS service's desired count and whether a deployment is rolling
 * (another deployment still has tasks, or the PRIMARY one is IN_PROGRESS),
 * from the `services` projection. Undefined when there is no ACTIVE service.
 */
export const readService = async (
  db: Kysely<Database>,
  clusterName: string,
  serviceName: string,
): Promise<ServiceRowFacts | undefined> => {
  const row = await db
    .selectFrom("services")
    .select(["desired_count", "deployments"])
    .where("cluster_name", "=", clusterName)
    .where("service_name", "=", serviceName)
    .where("status", "=", "ACTIVE")
    .executeTakeFirst();
  if (!row) return undefined;
  const deployments = row.deployments;
  return {
    desiredCount: row.desired_count,
    deploymentInProgress:
      deployments.length > 1 || deployments.some((d) => d.rolloutState === "IN_PROGRESS"),
  };
};

/** The service's tasks that are RUNNING now (and meant to be), from the `tasks` projection. */
export const countRunningTasks = async (
  db: Kysely<Database>,
  clusterName: string,
  serviceName: string,
): Promise<number> => {
  const row = await db
    .selectFrom("tasks")
    .select((eb) => eb.fn.countAll<number | string>().as("n"))
    .where("cluster_name", "=", clusterName)
    .where("task_group", "=", `service:${serviceName}`)
    .where("desired_status", "=", "RUNNING")
    .where("last_status", "=", "RUNNING")
    .executeTakeFirst();
  return Number(row?.n ?? 0);
};

/**
 * The tasks that ran in the alarm's last period: the average of
 * `ECS/ContainerInsights` RunningTaskCount over it when the metric store has
 * it, else the tasks running now.
 */
export const runningTasksOfPeriod = async (
  db: Kysely<Database>,
  metrics: MetricSource | undefined,
  query: { clusterName: string; serviceName: string; period: number; evaluatedAt: Date },
): Promise<number> => {
  if (metrics !== undefined) {
    const points = await metrics
      .series({
        metric: {
          namespace: "ECS/ContainerInsights",
          metricName: "RunningTaskCount",
          dimensions: [
            { name: "ClusterName", value: query.clusterName },
            { name: "ServiceName", value: query.serviceName },
          ],
        },
        stat: "Average",
        period: query.period,
        start: new Date(query.evaluatedAt.getTime() - 2 * query.period * 1000),
        end: query.evaluatedAt,
      })
      .catch(() => []);
    const last = points.at(-1);
    if (last !== undefined) return last.value;
  }
  return countRunningTasks(db, query.clusterName, query.serviceName);
};

/** The state of every target tracking alarm of a scalable target, by alarm name. */
export const readTargetTrackingAlarmStates = async (
  db: Kysely<Database>,
  resourceId: string,
): Promise<ReadonlyMap<string, string>> => {
  const rows = await db
    .selectFrom("alarms")
    .select(["alarm_name", "state_value"])
    .where(
      (eb) => eb.fn("starts_with", ["alarm_name", eb.val(`TargetTracking-${resourceId}-`)]),
      "=",
      true,
    )
    .execute();
  return new Map(rows.map((r) => [r.alarm_name, r.state_value]));
};
