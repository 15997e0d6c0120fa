import type { SchedulerContext } from "../context.js";
import type { ServiceTask, TaskBinding, TaskTarget } from "./plan/types.js";

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
        "containers",
        "capacity_provider_name",
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
  const rows = [...present, ...stopped];
  const targets = await targetsOf(
    ctx,
    rows.map((r) => r.task_arn),
  );
  return rows.map((r) => ({
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
    ...(r.capacity_provider_name === null
      ? {}
      : { capacityProviderName: r.capacity_provider_name }),
    bindings: bindingsOf(r.containers),
    targets: targets.get(r.task_arn) ?? [],
  }));
};

/** Each task's host port bindings, from the containers the agent reported. */
const bindingsOf = (containers: unknown): TaskBinding[] =>
  (
    containers as {
      name: string;
      networkBindings?: { containerPort: number; hostPort: number }[];
    }[]
  ).flatMap((c) =>
    (c.networkBindings ?? []).map((b) => ({
      containerName: c.name,
      containerPort: b.containerPort,
      hostPort: b.hostPort,
    })),
  );

/** The target-group targets of these tasks, until they drained. */
const targetsOf = async (
  ctx: SchedulerContext,
  taskArns: readonly string[],
): Promise<Map<string, TaskTarget[]>> => {
  const byTask = new Map<string, TaskTarget[]>();
  if (taskArns.length === 0) return byTask;
  const rows = await ctx.db
    .selectFrom("targets")
    .select(["task_arn", "target_group_arn", "target_id", "port", "state"])
    .where("task_arn", "in", [...taskArns])
    .execute();
  for (const r of rows) {
    if (r.task_arn === null) continue;
    const list = byTask.get(r.task_arn) ?? [];
    list.push({
      targetGroupArn: r.target_group_arn,
      id: r.target_id,
      port: r.port,
      state: r.state as TaskTarget["state"],
    });
    byTask.set(r.task_arn, list);
  }
  return byTask;
};
