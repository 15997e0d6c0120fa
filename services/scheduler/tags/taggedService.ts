import { mergeTags, type Tag } from "../../../shared/domain/tags/tag.js";
import type { DomainEvent } from "../../../shared/events/index.js";
import { eventsOfTypes, type Aggregate } from "../../../shared/aggregate/decider.js";
import { serviceAggregate, type ServiceState } from "../ecsServices/serviceState.js";

/** A service as TagResource sees it: the service aggregate and its current tags. */
export interface TaggedServiceState {
  readonly service: ServiceState;
  readonly tags: readonly Tag[];
}

const isTagEvent = eventsOfTypes("ServiceCreated", "ResourceTagged", "ResourceUntagged");

/** Folds the service stream: the service itself, and its creation tags plus later (un)tagging. */
export const taggedServiceAggregate: Aggregate<TaggedServiceState> = {
  initialState: { service: serviceAggregate.initialState, tags: [] },
  evolve(state, event: DomainEvent): TaggedServiceState {
    const service = serviceAggregate.evolve(state.service, event);
    if (!isTagEvent(event)) return service === state.service ? state : { ...state, service };
    switch (event.type) {
      case "ServiceCreated":
        return { service, tags: event.data.tags };
      case "ResourceTagged":
        return { service, tags: mergeTags(state.tags, event.data.tags) };
      case "ResourceUntagged":
        return {
          service,
          tags: state.tags.filter((t) => !event.data.tagKeys.includes(t.key)),
        };
      default: {
        const _unknown: never = event;
        return state;
      }
    }
  },
};
