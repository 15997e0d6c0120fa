import type { WebhookSubscriptionView } from "../../../shared/commands/scheduler/index.js";
import type { WebhookSubscriptionState } from "./webhookState.js";

/** The reply's view of a subscription's folded state. */
export const subscriptionView = (state: WebhookSubscriptionState): WebhookSubscriptionView => ({
  name: state.name!,
  subscriptionId: state.subscriptionId!,
  targetUrl: state.targetUrl!,
  subjectFilter: state.subjectFilter!,
  ...(state.description === undefined ? {} : { description: state.description }),
  status: state.status,
  ...(state.statusReason === undefined ? {} : { statusReason: state.statusReason }),
  createdAt: state.createdAt!,
});
