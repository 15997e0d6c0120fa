import type { DomainEvent } from "../../../shared/events/index.js";
import { eventsOfTypes, type Aggregate } from "../../../shared/aggregate/decider.js";

export interface WebhookSubscriptionState {
  readonly status: "NONE" | "ACTIVE" | "PAUSED" | "DELETED";
  readonly name?: string;
  readonly subscriptionId?: string;
  readonly targetUrl?: string;
  readonly subjectFilter?: string;
  readonly description?: string;
  readonly statusReason?: string;
  readonly createdAt?: string;
}

const isWebhookEvent = eventsOfTypes(
  "WebhookSubscriptionCreated",
  "WebhookSubscriptionDeleted",
  "WebhookSubscriptionPaused",
  "WebhookSubscriptionResumed",
);

/** One subscription's stream, `webhook:<name>`, folded. */
export const webhookSubscriptionAggregate: Aggregate<WebhookSubscriptionState> = {
  initialState: { status: "NONE" },
  evolve(state, event: DomainEvent): WebhookSubscriptionState {
    if (!isWebhookEvent(event)) return state;
    switch (event.type) {
      case "WebhookSubscriptionCreated":
        return {
          status: "ACTIVE",
          name: event.data.name,
          subscriptionId: event.data.subscriptionId,
          targetUrl: event.data.targetUrl,
          subjectFilter: event.data.subjectFilter,
          ...(event.data.description === undefined ? {} : { description: event.data.description }),
          createdAt: event.data.createdAt,
        };
      case "WebhookSubscriptionDeleted":
        // Keeps the last subscription's fields: DeleteWebhookSubscription's reply shows them.
        return { ...state, status: "DELETED" };
      case "WebhookSubscriptionPaused":
        return { ...state, status: "PAUSED", statusReason: event.data.reason };
      case "WebhookSubscriptionResumed": {
        const { statusReason: _gone, ...rest } = state;
        return { ...rest, status: "ACTIVE" };
      }
      default: {
        const _unknown: never = event;
        return state;
      }
    }
  },
};
