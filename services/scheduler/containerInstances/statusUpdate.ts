import type { PayloadOf, ReplyOf } from "../../../shared/bus/index.js";
import type { UpdateContainerInstancesState } from "../../../shared/commands/scheduler/index.js";
import type { EventMetadata } from "../../../shared/eventstore/index.js";
import type { SchedulerContext } from "../context.js";
import { instanceRef } from "../resolve.js";
import { runCommand } from "../../../shared/aggregate/runCommand.js";
import { instanceAggregate } from "./instanceState.js";
import {
  InstanceStatusRefused,
  decideUpdateContainerInstanceState,
} from "./updateContainerInstanceState.js";

/**
 * UpdateContainerInstancesState: each instance is decided on its own stream;
 * one that is missing or deregistered becomes a failure, not an error for all.
 */
export const updateContainerInstancesState = async (
  ctx: SchedulerContext,
  cmd: PayloadOf<typeof UpdateContainerInstancesState>,
  metadata: EventMetadata,
): Promise<ReplyOf<typeof UpdateContainerInstancesState>> => {
  const dc = { now: ctx.clock(), arn: ctx.arn, actor: metadata.actor };
  const reply: ReplyOf<typeof UpdateContainerInstancesState> = {
    containerInstanceArns: [],
    failures: [],
  };
  for (const ref of cmd.containerInstances) {
    const target = instanceRef(ref, cmd.cluster);
    try {
      const after = await runCommand(
        ctx.store,
        target.streamId,
        instanceAggregate,
        (state) => decideUpdateContainerInstanceState(cmd.status, state, dc),
        metadata,
        (state) => state,
      );
      if (!reply.containerInstanceArns.includes(after.containerInstanceArn!)) {
        reply.containerInstanceArns.push(after.containerInstanceArn!);
      }
      // The agent learns at its next manifest fetch; a hint makes that sooner.
      if (after.ec2InstanceId) ctx.notifyAgent?.(after.ec2InstanceId, `status ${cmd.status}`);
    } catch (err) {
      if (!(err instanceof InstanceStatusRefused)) throw err;
      reply.failures.push({ arn: ref, reason: err.reason, detail: err.message });
    }
  }
  return reply;
};
