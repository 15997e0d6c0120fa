import type { SchedulerContext } from "../context.js";
import type { ServiceTask } from "./plan/types.js";

/** How many of a service's most recently stopped tasks the planner sees (failure counting). */
const RECENT_STOPPED = 50;

const secondsOf = (d: Date | null): number | undefined =>
  d === null ? undefined : d.getTime() / 1000;

/**
 * The service's tasks from the read model: all not yet STOPPED, and the
 * newest stopped ones. The read model commits with the events, so what a
 * step sees is never behind what an earlier step decided.
 */
export const loadServiceTasks = async (
  ctx: SchedulerContext,
  clusterName: string,
  serviceName: string,
): Promise<ServiceTask[]> => {
  const base = () =>
    ctx.db
      .selectFrom("tasks")
      .select([
        "task_arn",
        "started_by",
        "container_instance_arn",
        "last_status",
        "desired_status",
        "health_status",
        "started_at",
        "stopped_at",
        "stop_code",
        "stopped_reason",
        "created_at",
      ])
      .where("cluster_name", "=", clusterName)
      .where("task_group", "=", `service:${serviceName}`);
  const [present, stopped] = await Promise.all([
    base().where("last_status", "!=", "STOPPED").execute(),
    base()
      .where("last_status", "=", "STOPPED")
      .orderBy("created_at", "desc")
      .limit(RECENT_STOPPED)
      .execute(),
  ]);
  return [...present, ...stopped].map((r) => ({
    taskArn: r.task_arn,
    deploymentId: r.started_by ?? "",
    containerInstanceArn: r.container_instance_arn,
    lastStatus: r.last_status,
    desiredStatus: r.desired_status === "STOPPED" ? "STOPPED" : "RUNNING",
    healthStatus:
      r.health_status === "HEALTHY" || r.health_status === "UNHEALTHY"
        ? r.health_status
        : "UNKNOWN",
    startedAt: secondsOf(r.started_at),
    stoppedAt: secondsOf(r.stopped_at),
    stopCode: r.stop_code ?? undefined,
    stoppedReason: r.stopped_reason ?? undefined,
    createdAt: r.created_at.getTime() / 1000,
  }));
};
