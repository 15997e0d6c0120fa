import type { Manifest, ManifestTask } from "../../../shared/agent/protocol.js";
import { TaskDefinition } from "../../../shared/domain/taskDefinition/index.js";
import type { SchedulerContext } from "../context.js";

/**
 * The desired task set of one container instance: every task placed there
 * that has not been reported STOPPED, with its task definition. Read from the
 * projections, which commit with the events, so it is never behind a reply.
 */
export const manifestFor = async (
  ctx: SchedulerContext,
  containerInstanceArn: string,
): Promise<Manifest> => {
  const instance = await ctx.db
    .selectFrom("container_instances")
    .select("status")
    .where("container_instance_arn", "=", containerInstanceArn)
    .executeTakeFirst();
  const rows = await ctx.db
    .selectFrom("tasks as t")
    .innerJoin("task_definitions as d", "d.task_definition_arn", "t.task_definition_arn")
    .select([
      "t.task_arn",
      "t.cluster_name",
      "t.desired_status",
      "t.last_status",
      "t.overrides",
      "t.containers",
      "t.stop_code",
      "t.stopped_reason",
      "t.created_at",
      "d.definition",
    ])
    .where("t.container_instance_arn", "=", containerInstanceArn)
    .where("t.last_status", "!=", "STOPPED")
    .orderBy("t.created_at")
    .execute();
  const tasks: ManifestTask[] = rows.map((r) => ({
    taskArn: r.task_arn,
    clusterName: r.cluster_name,
    desiredStatus: r.desired_status === "STOPPED" ? "STOPPED" : "RUNNING",
    lastStatus: r.last_status as ManifestTask["lastStatus"],
    taskDefinition: TaskDefinition.parse(r.definition),
    overrides: r.overrides,
    containers: (r.containers as unknown as { name: string; containerArn: string }[]).map((c) => ({
      name: c.name,
      containerArn: c.containerArn,
    })),
    ...(r.stop_code ? { stopCode: r.stop_code as ManifestTask["stopCode"] } : {}),
    ...(r.stopped_reason ? { stoppedReason: r.stopped_reason } : {}),
    createdAt: r.created_at.getTime() / 1000,
  }));
  // `active` false tells the agent its instance was deregistered: it stops everything and
  // registers again. A DRAINING instance is still registered: its tasks keep running.
  const registered = instance?.status === "ACTIVE" || instance?.status === "DRAINING";
  return { containerInstanceArn, active: registered, tasks };
};
