import { capacityFromResources, type Capacity } from "../../../shared/domain/resources.js";
import type { DomainEvent } from "../../../shared/events/index.js";
import { eventsOfTypes, type Aggregate } from "../../../shared/aggregate/decider.js";

/** DRAINING: registered, but takes no new tasks (UpdateContainerInstancesState). */
export type InstanceStatus = "NONE" | "ACTIVE" | "DRAINING" | "INACTIVE";

/** Registered and not deregistered: ACTIVE or DRAINING. */
export const isRegistered = (status: InstanceStatus): status is "ACTIVE" | "DRAINING" =>
  status === "ACTIVE" || status === "DRAINING";

export interface InstanceState {
  readonly status: InstanceStatus;
  readonly clusterName?: string;
  readonly containerInstanceArn?: string;
  readonly ec2InstanceId?: string;
  readonly availabilityZone?: string | undefined;
  readonly registered: Capacity;
  readonly agentConnected: boolean;
  /** Reservations of the tasks placed here that have not stopped. */
  readonly tasks: ReadonlyMap<string, Capacity>;
}

const NOTHING: Capacity = { cpu: 0, memory: 0, tcpPorts: [], udpPorts: [] };

const isInstanceEvent = eventsOfTypes(
  "ContainerInstanceRegistered",
  "ContainerInstanceDeregistered",
  "ContainerInstanceConnectivityChanged",
  "ContainerInstanceStatusChanged",
  "TaskPlaced",
  "TaskResourcesReleased",
);

/** A container instance: what it registered, whether its agent is connected, what runs there. */
export const instanceAggregate: Aggregate<InstanceState> = {
  initialState: { status: "NONE", registered: NOTHING, agentConnected: false, tasks: new Map() },
  evolve(state, event: DomainEvent): InstanceState {
    if (!isInstanceEvent(event)) return state;
    switch (event.type) {
      case "ContainerInstanceRegistered":
        return {
          ...state,
          // A DRAINING instance that registers again (an agent restart) stays DRAINING.
          status: state.status === "DRAINING" ? "DRAINING" : "ACTIVE",
          clusterName: event.data.clusterName,
          containerInstanceArn: event.data.containerInstanceArn,
          ec2InstanceId: event.data.ec2InstanceId,
          availabilityZone: event.data.availabilityZone,
          registered: capacityFromResources(event.data.registeredResources),
          agentConnected: true,
        };
      case "ContainerInstanceDeregistered":
        return { ...state, status: "INACTIVE", agentConnected: false };
      case "ContainerInstanceConnectivityChanged":
        return { ...state, agentConnected: event.data.agentConnected };
      case "ContainerInstanceStatusChanged":
        return { ...state, status: event.data.status };
      case "TaskPlaced": {
        const tasks = new Map(state.tasks);
        tasks.set(event.data.taskArn, event.data.reserved);
        return { ...state, tasks };
      }
      case "TaskResourcesReleased": {
        if (!state.tasks.has(event.data.taskArn)) return state;
        const tasks = new Map(state.tasks);
        tasks.delete(event.data.taskArn);
        return { ...state, tasks };
      }
      default: {
        const _exhaustive: never = event;
        return state;
      }
    }
  },
};
