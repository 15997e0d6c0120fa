import { EcsError } from "../../../shared/domain/errors.js";
import type { DomainEvent } from "../../../shared/events/index.js";
import type { DecisionContext } from "../../../shared/aggregate/decider.js";
import { isRegistered, type InstanceState } from "./instanceState.js";

export const containerInstanceNotFound = (): EcsError =>
  new EcsError("InvalidParameterException", "The referenced container instance was not found.");

/**
 * DeregisterContainerInstance (of an ACTIVE or DRAINING instance). With tasks still placed it needs `force`; the
 * caller then asks those tasks to stop (see commandHandlers).
 */
export const decideDeregisterContainerInstance = (
  force: boolean,
  state: InstanceState,
  ctx: DecisionContext,
): DomainEvent[] => {
  if (!isRegistered(state.status)) throw containerInstanceNotFound();
  if (state.tasks.size > 0 && !force) {
    throw new EcsError(
      "InvalidParameterException",
      `The container instance has ${state.tasks.size} task(s) on it; deregister with force to stop them.`,
    );
  }
  return [
    {
      type: "ContainerInstanceDeregistered",
      data: {
        clusterName: state.clusterName!,
        containerInstanceArn: state.containerInstanceArn!,
        force,
        deregisteredAt: ctx.now.getTime() / 1000,
      },
    },
  ];
};

/** The heartbeat monitor's decision: record only a change of connectivity. */
export const decideConnectivity = (
  connected: boolean,
  state: InstanceState,
  ctx: DecisionContext,
): DomainEvent[] =>
  !isRegistered(state.status) || state.agentConnected === connected
    ? []
    : [
        {
          type: "ContainerInstanceConnectivityChanged",
          data: {
            clusterName: state.clusterName!,
            containerInstanceArn: state.containerInstanceArn!,
            agentConnected: connected,
            at: ctx.now.getTime() / 1000,
          },
        },
      ];
