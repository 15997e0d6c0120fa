import { EcsError } from "../../../shared/domain/errors.js";
import type { DomainEvent, SettableInstanceStatus } from "../../../shared/events/index.js";
import type { DecisionContext } from "../../../shared/aggregate/decider.js";
import { containerInstanceNotFound } from "./deregisterContainerInstance.js";
import { isRegistered, type InstanceState } from "./instanceState.js";

/** Why one instance's status cannot be changed: an ECS failure reason. */
export class InstanceStatusRefused extends EcsError {
  constructor(
    readonly reason: "MISSING" | "INACTIVE",
    message: string,
  ) {
    super("InvalidParameterException", message);
  }
}

/**
 * UpdateContainerInstancesState for one instance: ACTIVE ↔ DRAINING. Setting
 * the status it already has changes nothing. A DRAINING instance takes no new
 * tasks (placement refuses it) but the tasks on it keep running: standalone
 * tasks are not stopped, and the service scheduler replaces service tasks.
 * An instance never registered is MISSING; a deregistered one INACTIVE.
 */
export const decideUpdateContainerInstanceState = (
  status: SettableInstanceStatus,
  state: InstanceState,
  ctx: DecisionContext,
): DomainEvent[] => {
  if (state.status === "NONE") {
    throw new InstanceStatusRefused("MISSING", containerInstanceNotFound().message);
  }
  if (!isRegistered(state.status)) {
    throw new InstanceStatusRefused(
      "INACTIVE",
      "The container instance is INACTIVE (deregistered); its status cannot be changed.",
    );
  }
  if (state.status === status) return [];
  return [
    {
      type: "ContainerInstanceStatusChanged",
      data: {
        clusterName: state.clusterName!,
        containerInstanceArn: state.containerInstanceArn!,
        status,
        at: ctx.now.getTime() / 1000,
      },
    },
  ];
};
