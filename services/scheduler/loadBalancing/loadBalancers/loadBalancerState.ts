import type { DomainEvent } from "../../../../shared/events/index.js";
import { eventsOfTypes, type Aggregate } from "../../../../shared/aggregate/decider.js";

export interface ListenerState {
  readonly listenerArn: string;
  readonly port: number;
  readonly defaultTargetGroupArn: string;
}

export interface LoadBalancerState {
  readonly status: "NONE" | "ACTIVE" | "DELETED";
  readonly loadBalancerArn?: string;
  readonly loadBalancerName?: string;
  readonly scheme?: "internet-facing" | "internal";
  /** By listener ARN. */
  readonly listeners: ReadonlyMap<string, ListenerState>;
}

const isLoadBalancerEvent = eventsOfTypes(
  "LoadBalancerCreated",
  "LoadBalancerDeleted",
  "ListenerCreated",
  "ListenerDeleted",
);

export const loadBalancerAggregate: Aggregate<LoadBalancerState> = {
  initialState: { status: "NONE", listeners: new Map() },
  evolve(state, event: DomainEvent): LoadBalancerState {
    if (!isLoadBalancerEvent(event)) return state;
    switch (event.type) {
      case "LoadBalancerCreated":
        return {
          status: "ACTIVE",
          loadBalancerArn: event.data.loadBalancerArn,
          loadBalancerName: event.data.loadBalancerName,
          scheme: event.data.scheme,
          listeners: new Map(),
        };
      case "LoadBalancerDeleted":
        return { ...state, status: "DELETED", listeners: new Map() };
      case "ListenerCreated": {
        const listeners = new Map(state.listeners);
        listeners.set(event.data.listenerArn, {
          listenerArn: event.data.listenerArn,
          port: event.data.port,
          defaultTargetGroupArn: event.data.defaultTargetGroupArn,
        });
        return { ...state, listeners };
      }
      case "ListenerDeleted": {
        const listeners = new Map(state.listeners);
        listeners.delete(event.data.listenerArn);
        return { ...state, listeners };
      }
      default: {
        const _unknown: never = event;
        return state;
      }
    }
  },
};
