import type { PayloadOf, ReplyOf } from "../../../shared/bus/index.js";
import type { StopTask } from "../../../shared/commands/scheduler/index.js";
import type { EventMetadata } from "../../../shared/eventstore/index.js";
import type { SchedulerContext } from "../context.js";
import { taskRef } from "../resolve.js";
import { runCommand } from "../../../shared/aggregate/runCommand.js";
import { agentOfInstance } from "./agentOfInstance.js";
import { decideStopTask } from "./stopTask.js";
import { taskAggregate } from "./taskState.js";

/** StopTask: desiredStatus STOPPED with the caller's reason; the agent stops it. */
export const stopTask = async (
  ctx: SchedulerContext,
  cmd: PayloadOf<typeof StopTask>,
  metadata: EventMetadata,
): Promise<ReplyOf<typeof StopTask>> => {
  const ref = taskRef(cmd.task, cmd.cluster);
  const dc = { now: ctx.clock(), arn: ctx.arn, actor: metadata.actor };
  const state = await runCommand(
    ctx.store,
    ref.streamId,
    taskAggregate,
    (s) =>
      decideStopTask(
        { stopCode: "UserInitiated", reason: cmd.reason ?? "Task stopped by user" },
        s,
        dc,
      ),
    metadata,
    (s) => s,
  );
  const agentId = await agentOfInstance(ctx, state.created!.containerInstanceArn);
  if (agentId) ctx.notifyAgent?.(agentId, "task stop requested", state.created!.taskArn);
  return { taskArn: state.created!.taskArn };
};
