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
  // One statement: the instance's status, with a row per live task (none: one row of nulls).
  const rows = await ctx.db
    .selectFrom("container_instances as ci")
    .leftJoin(
      (eb) =>
        eb
          .selectFrom("tasks as t")
          .innerJoin("task_definitions as d", "d.task_definition_arn", "t.task_definition_arn")
          .select([
            "t.container_instance_arn",
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
          .where("t.last_status", "!=", "STOPPED")
          .as("live"),
      (join) => join.onRef("live.container_instance_arn", "=", "ci.container_instance_arn"),
    )
    .select([
      "ci.status",
      "live.task_arn",
      "live.cluster_name",
      "live.desired_status",
      "live.last_status",
      "live.overrides",
      "live.containers",
      "live.stop_code",
      "live.stopped_reason",
      "live.created_at",
      "live.definition",
    ])
    .where("ci.container_instance_arn", "=", containerInstanceArn)
    .orderBy("live.created_at")
    .execute();
  const tasks: ManifestTask[] = rows.flatMap((r) =>
    r.task_arn === null
      ? []
      : [
          {
            taskArn: r.task_arn,
            clusterName: r.cluster_name!,
            desiredStatus: r.desired_status === "STOPPED" ? "STOPPED" : "RUNNING",
            lastStatus: r.last_status as ManifestTask["lastStatus"],
            taskDefinition: TaskDefinition.parse(r.definition),
            overrides: r.overrides!,
            containers: (r.containers as unknown as { name: string; containerArn: string }[]).map(
              (c) => ({ name: c.name, containerArn: c.containerArn }),
            ),
            ...(r.stop_code ? { stopCode: r.stop_code as ManifestTask["stopCode"] } : {}),
            ...(r.stopped_reason ? { stoppedReason: r.stopped_reason } : {}),
            createdAt: r.created_at!.getTime() / 1000,
          },
        ],
  );
  // `active` false tells the agent its instance was deregistered: it stops everything and
  // registers again. A DRAINING instance is still registered: its tasks keep running.
  const status = rows[0]?.status;
  const registered = status === "ACTIVE" || status === "DRAINING";
  return { containerInstanceArn, active: registered, tasks };
};
