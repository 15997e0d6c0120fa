import { EcsError } from "../../../shared/domain/errors.js";
import { remainingCapacity, type Capacity } from "../../../shared/domain/resources.js";
import { misfit } from "../../../shared/domain/taskRequirements.js";
import type { DomainEvent, TaskCreated } from "../../../shared/events/index.js";
import type { InstanceState } from "../containerInstances/instanceState.js";
import type { TaskState } from "./taskState.js";

/** Why an instance cannot take a task, or undefined when it can. */
export const cannotPlace = (need: Capacity, instance: InstanceState): string | undefined => {
  if (instance.status !== "ACTIVE") return "is not ACTIVE";
  if (!instance.agentConnected) return "has no connected agent";
  return misfit(need, remainingCapacity(instance.registered, instance.tasks.values()));
};

/** Reserve the task's resources on the instance: decided on the instance's stream. */
export const decidePlaceTask = (
  taskArn: string,
  need: Capacity,
  instance: InstanceState,
): DomainEvent[] => {
  const why = cannotPlace(need, instance);
  if (why) {
    throw new EcsError(
      "InvalidParameterException",
      `The container instance ${instance.containerInstanceArn ?? ""} ${why}.`,
      { retryable: false },
    );
  }
  return [
    {
      type: "TaskPlaced",
      data: {
        clusterName: instance.clusterName!,
        containerInstanceArn: instance.containerInstanceArn!,
        taskArn,
        reserved: { ...need, tcpPorts: [...need.tcpPorts], udpPorts: [...need.udpPorts] },
      },
    },
  ];
};

/** The task itself: decided on the task's (new) stream. */
export const decideCreateTask = (created: TaskCreated, state: TaskState): DomainEvent[] => {
  if (state.created) {
    throw new EcsError("ServerException", `Task ${created.taskArn} already exists.`, {
      retryable: true,
    });
  }
  return [{ type: "TaskCreated", data: created }];
};
