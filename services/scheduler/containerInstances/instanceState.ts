import { capacityFromResources, type Capacity } from "../../../shared/domain/resources.js";
import type { DomainEvent } from "../../../shared/events/index.js";
import { eventsOfTypes, type Aggregate } from "../decider.js";

export interface InstanceState {
  readonly status: "NONE" | "ACTIVE" | "INACTIVE";
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
          status: "ACTIVE",
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
