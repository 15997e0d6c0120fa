import type { ResolvedAutoScalingGroupProvider } from "../../../shared/domain/capacityProviders/capacityProvider.js";
import { mergeTags, type Tag } from "../../../shared/domain/tags/tag.js";
import type { DomainEvent } from "../../../shared/events/index.js";
import { eventsOfTypes, type Aggregate } from "../../../shared/aggregate/decider.js";

/** One instance-based capacity provider's stream, `capacityprovider:<name>`, folded. */
export interface CapacityProviderState {
  readonly status: "NONE" | "ACTIVE" | "INACTIVE";
  readonly name?: string;
  readonly capacityProviderArn?: string;
  readonly autoScalingGroupProvider?: ResolvedAutoScalingGroupProvider;
  readonly tags: readonly Tag[];
}

const isCapacityProviderEvent = eventsOfTypes(
  "CapacityProviderCreated",
  "CapacityProviderUpdated",
  "CapacityProviderDeleted",
  "ResourceTagged",
  "ResourceUntagged",
);

export const capacityProviderAggregate: Aggregate<CapacityProviderState> = {
  initialState: { status: "NONE", tags: [] },
  evolve(state, event: DomainEvent): CapacityProviderState {
    if (!isCapacityProviderEvent(event)) return state;
    switch (event.type) {
      case "CapacityProviderCreated":
        return {
          status: "ACTIVE",
          name: event.data.name,
          capacityProviderArn: event.data.capacityProviderArn,
          autoScalingGroupProvider: event.data.autoScalingGroupProvider,
          tags: event.data.tags,
        };
      case "CapacityProviderUpdated":
        return { ...state, autoScalingGroupProvider: event.data.autoScalingGroupProvider };
      case "CapacityProviderDeleted":
        return { ...state, status: "INACTIVE" };
      case "ResourceTagged":
        return { ...state, tags: mergeTags(state.tags, event.data.tags) };
      case "ResourceUntagged":
        return { ...state, tags: state.tags.filter((t) => !event.data.tagKeys.includes(t.key)) };
      default: {
        // A type this version does not know (written by a newer one) leaves the state alone.
        const _unknown: never = event;
        return state;
      }
    }
  },
};
