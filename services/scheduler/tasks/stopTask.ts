import { EcsError } from "../../../shared/domain/errors.js";
import type { DomainEvent } from "../../../shared/events/index.js";
import type { DecisionContext } from "../../../shared/aggregate/decider.js";
import type { TaskState } from "./taskState.js";

export const taskNotFound = (): EcsError =>
  new EcsError("InvalidParameterException", "The referenced task was not found.");

/**
 * StopTask: the task's desiredStatus becomes STOPPED and its agent stops it.
 * Stopping a task that is already stopping or stopped changes nothing.
 */
export const decideStopTask = (
  stop: {
    stopCode: "UserInitiated" | "ServiceSchedulerInitiated" | "TaskFailedToStart";
    reason: string;
  },
  state: TaskState,
  ctx: DecisionContext,
): DomainEvent[] => {
  if (!state.created) throw taskNotFound();
  if (state.desiredStatus === "STOPPED" || state.lastStatus === "STOPPED") return [];
  return [
    {
      type: "TaskStopRequested",
      data: {
        clusterName: state.created.clusterName,
        taskArn: state.created.taskArn,
        stopCode: stop.stopCode,
        stoppedReason: stop.reason,
        at: ctx.now.getTime() / 1000,
      },
    },
  ];
};
