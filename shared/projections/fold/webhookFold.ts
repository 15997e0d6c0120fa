import type {
  WebhookSubscriptionCreated,
  WebhookSubscriptionDeleted,
  WebhookSubscriptionPaused,
  WebhookSubscriptionResumed,
} from "../../events/index.js";
import { webhookSubscriptionRow } from "../webhookProjection.js";
import type { FoldState, ProjectionFold, WebhookSubscriptionRow } from "./foldState.js";

/** The row of a subscription id (names key the table; subscriptions are few). */
const bySubscriptionId = (state: FoldState, id: string): WebhookSubscriptionRow | undefined => {
  for (const row of state.webhook_subscriptions.values()) {
    if (row.subscription_id === id) return row;
  }
  return undefined;
};

/** webhookProjection in memory: webhook_subscriptions. */
export const webhookFold: ProjectionFold = {
  tables: ["webhook_subscriptions"],
  fold(state, event) {
    switch (event.type) {
      case "WebhookSubscriptionCreated": {
        const d = event.data as WebhookSubscriptionCreated;
        state.webhook_subscriptions.set(d.name, webhookSubscriptionRow(d, event));
        return;
      }
      case "WebhookSubscriptionDeleted": {
        const d = event.data as WebhookSubscriptionDeleted;
        const row = bySubscriptionId(state, d.subscriptionId);
        if (row) state.webhook_subscriptions.delete(row.name);
        return;
      }
      case "WebhookSubscriptionPaused": {
        const d = event.data as WebhookSubscriptionPaused;
        const row = bySubscriptionId(state, d.subscriptionId);
        if (!row) return;
        row.status = "PAUSED";
        row.status_reason = d.reason;
        row.updated_at = d.pausedAt;
        row.version = event.streamVersion;
        row.last_position = event.position;
        return;
      }
      case "WebhookSubscriptionResumed": {
        const d = event.data as WebhookSubscriptionResumed;
        const row = bySubscriptionId(state, d.subscriptionId);
        if (!row) return;
        row.status = "ACTIVE";
        row.status_reason = null;
        row.updated_at = d.resumedAt;
        row.version = event.streamVersion;
        row.last_position = event.position;
        return;
      }
    }
  },
};
