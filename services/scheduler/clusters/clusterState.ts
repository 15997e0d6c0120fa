import type { CapacityProviderStrategy } from "../../../shared/domain/capacityProviders/strategy.js";
import type { Tag } from "../../../shared/domain/tags/tag.js";
import { mergeTags } from "../../../shared/domain/tags/tag.js";
import type { DomainEvent } from "../../../shared/events/index.js";
import { eventsOfTypes, type Aggregate } from "../../../shared/aggregate/decider.js";

export interface ClusterState {
  readonly status: "NONE" | "ACTIVE" | "INACTIVE";
  readonly clusterName?: string;
  readonly clusterArn?: string;
  readonly tags: readonly Tag[];
  /** The cluster's capacity providers and default strategy (PutClusterCapacityProviders). */
  readonly capacityProviders: readonly string[];
  readonly defaultCapacityProviderStrategy: CapacityProviderStrategy;
}

const isClusterEvent = eventsOfTypes(
  "ClusterCreated",
  "ClusterDeleted",
  "ClusterCapacityProvidersUpdated",
  "ResourceTagged",
  "ResourceUntagged",
);

export const clusterAggregate: Aggregate<ClusterState> = {
  initialState: {
    status: "NONE",
    tags: [],
    capacityProviders: [],
    defaultCapacityProviderStrategy: [],
  },
  evolve(state, event: DomainEvent): ClusterState {
    if (!isClusterEvent(event)) return state;
    switch (event.type) {
      case "ClusterCreated":
        return {
          status: "ACTIVE",
          clusterName: event.data.clusterName,
          clusterArn: event.data.clusterArn,
          tags: event.data.tags,
          capacityProviders: event.data.capacityProviders,
          defaultCapacityProviderStrategy: event.data.defaultCapacityProviderStrategy,
        };
      case "ClusterCapacityProvidersUpdated":
        return {
          ...state,
          capacityProviders: event.data.capacityProviders,
          defaultCapacityProviderStrategy: event.data.defaultCapacityProviderStrategy,
        };
      case "ClusterDeleted":
        return { ...state, status: "INACTIVE" };
      case "ResourceTagged":
        return { ...state, tags: mergeTags(state.tags, event.data.tags) };
      case "ResourceUntagged":
        return { ...state, tags: state.tags.filter((t) => !event.data.tagKeys.includes(t.key)) };
      default: {
        // Compile time: every known type is handled above. Run time: a type this
        // version does not know (written by a newer one) leaves the state alone.
        const _unknown: never = event;
        return state;
      }
    }
  },
};
