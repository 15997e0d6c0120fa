import type { PayloadOf, ReplyOf } from "../../../shared/bus/index.js";
import type { DeregisterContainerInstance } from "../../../shared/commands/scheduler/index.js";
import type { EventMetadata } from "../../../shared/eventstore/index.js";
import type { SchedulerContext } from "../context.js";
import { instanceRef, taskRef } from "../resolve.js";
import { runCommand } from "../../../shared/aggregate/runCommand.js";
import { decideStopTask } from "../tasks/stopTask.js";
import { taskAggregate } from "../tasks/taskState.js";
import { decideDeregisterContainerInstance } from "./deregisterContainerInstance.js";
import { instanceAggregate } from "./instanceState.js";

/** DeregisterContainerInstance; with `force`, the tasks still on it are asked to stop. */
export const deregisterContainerInstance = async (
  ctx: SchedulerContext,
  cmd: PayloadOf<typeof DeregisterContainerInstance>,
  metadata: EventMetadata,
): Promise<ReplyOf<typeof DeregisterContainerInstance>> => {
  const ref = instanceRef(cmd.containerInstance, cmd.cluster);
  const dc = { now: ctx.clock(), arn: ctx.arn, actor: metadata.actor };
  const after = await runCommand(
    ctx.store,
    ref.streamId,
    instanceAggregate,
    (state) => decideDeregisterContainerInstance(cmd.force ?? false, state, dc),
    metadata,
    (state) => state,
  );
  for (const taskArn of after.tasks.keys()) {
    // Each task in its own cluster (a managed pool's instance runs many clusters' tasks).
    await runCommand(
      ctx.store,
      taskRef(taskArn, undefined).streamId,
      taskAggregate,
      (state) =>
        decideStopTask(
          { stopCode: "UserInitiated", reason: "Container instance deregistration forced by user" },
          state,
          dc,
        ),
      metadata,
      () => undefined,
    );
  }
  if (after.ec2InstanceId) ctx.notifyAgent?.(after.ec2InstanceId, "deregistered");
  return { containerInstanceArn: after.containerInstanceArn! };
};
