import type { DomainEvent } from "../../../shared/events/index.js";
import type { DecisionContext } from "../../../shared/aggregate/decider.js";
import type { TaskState } from "../tasks/taskState.js";
import { SPOT_INTERRUPTED, SPOT_STOP_CODE } from "./spotMessages.js";

/**
 * A FARGATE_SPOT task's capacity is reclaimed: desiredStatus STOPPED with
 * stop code SpotInterruption. The event is, at once, ECS's two-minute warning
 * (the public "ECS Task State Change" with desiredStatus STOPPED, lastStatus
 * still RUNNING, stopCode SpotInterruption) and the stop: its agent sends
 * each container SIGTERM and SIGKILL only after the container's stopTimeout
 * (the warning window, up to 120 s as on Fargate). A task already stopping
 * or stopped changes nothing.
 */
export const decideSpotInterruption = (state: TaskState, ctx: DecisionContext): DomainEvent[] => {
  if (!state.created) return [];
  if (state.desiredStatus === "STOPPED" || state.lastStatus === "STOPPED") return [];
  return [
    {
      type: "TaskStopRequested",
      data: {
        clusterName: state.created.clusterName,
        taskArn: state.created.taskArn,
        stopCode: SPOT_STOP_CODE,
        stoppedReason: SPOT_INTERRUPTED,
        at: ctx.now.getTime() / 1000,
      },
    },
  ];
};
