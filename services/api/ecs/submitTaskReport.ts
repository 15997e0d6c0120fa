import { ReportTaskState } from "../../../shared/commands/scheduler/index.js";
import { EcsError } from "../../../shared/domain/errors.js";
import type { ActionContext } from "../protocol/action.js";
import { findTasks, storedContainers, type TaskRow } from "./read/taskQueries.js";
import { requireActiveCluster, targetOf } from "./refs.js";
import { type TaskChange, type TaskSnapshot, taskStateReport } from "./taskStateReport.js";

/** What the report builder needs of a task row. */
export const taskSnapshot = (row: TaskRow): TaskSnapshot => ({
  taskArn: row.task_arn,
  lastStatus: row.last_status,
  healthStatus: row.health_status,
  stopCode: row.stop_code,
  startedAt: row.started_at,
  stoppingAt: row.stopping_at,
  stoppedAt: row.stopped_at,
  executionStoppedAt: row.execution_stopped_at,
  containers: storedContainers(row).map((c) => ({ name: c.name, lastStatus: c.lastStatus })),
});

/**
 * An external agent's state change: the task (ARN or id) is read from the
 * projection, the change becomes a ReportTaskState command, and ECS's
 * acknowledgment is the answer once the scheduler recorded it.
 */
export const submitTaskReport = async (
  ctx: ActionContext,
  ref: { readonly cluster?: string | undefined; readonly task?: string | undefined },
  change: TaskChange,
): Promise<{ acknowledgment: "ACK" }> => {
  if (ref.task === undefined) {
    throw new EcsError("InvalidParameterException", "task: the task is required.");
  }
  const target = targetOf(ctx.arn, ref.task, "task", ref.cluster, "task");
  await requireActiveCluster(ctx.db, target.clusterName);
  const [row] = await findTasks(ctx.db, [target.arn]);
  if (row?.cluster_name !== target.clusterName) {
    throw new EcsError("InvalidParameterException", `task: the task '${ref.task}' was not found.`);
  }
  const report = taskStateReport(taskSnapshot(row), change, Date.now() / 1000);
  await ctx.commands.send(ReportTaskState, report, ctx.metadata);
  return { acknowledgment: "ACK" };
};
