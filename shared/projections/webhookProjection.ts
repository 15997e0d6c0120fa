import type { InlineProjection, RecordedEvent } from "../eventstore/index.js";
import type { WebhookSubscriptionRow } from "./fold/foldState.js";
import type {
  WebhookSubscriptionCreated,
  WebhookSubscriptionDeleted,
  WebhookSubscriptionPaused,
  WebhookSubscriptionResumed,
} from "../events/index.js";

/** A new subscription's row (the fold keeps the same row in memory). */
export const webhookSubscriptionRow = (
  d: WebhookSubscriptionCreated,
  event: RecordedEvent,
): WebhookSubscriptionRow => ({
  name: d.name,
  subscription_id: d.subscriptionId,
  target_url: d.targetUrl,
  subject_filter: d.subjectFilter,
  description: d.description ?? null,
  status: "ACTIVE",
  status_reason: null,
  secret_sha256: d.secretSha256,
  created_at: d.createdAt,
  updated_at: d.createdAt,
  start_transaction_id: event.transactionId,
  start_position: event.position,
  version: event.streamVersion,
  last_position: event.position,
});

/**
 * webhook_subscriptions: one row per live subscription, ACTIVE or PAUSED; a
 * deleted one's row goes. The signing secrets (`webhook_secrets`), the
 * deliverer's progress and the delivery log are operational tables this
 * projection does not own, so a rebuild leaves them alone.
 */
export const webhookProjection: InlineProjection = {
  name: "webhook_subscriptions",
  tables: ["webhook_subscriptions"],
  handles: [
    "WebhookSubscriptionCreated",
    "WebhookSubscriptionDeleted",
    "WebhookSubscriptionPaused",
    "WebhookSubscriptionResumed",
  ],
  async apply(db, event) {
    switch (event.type) {
      case "WebhookSubscriptionCreated": {
        const d = event.data as WebhookSubscriptionCreated;
        const row = webhookSubscriptionRow(d, event);
        await db
          .insertInto("webhook_subscriptions")
          .values(row)
          .onConflict((oc) => oc.column("name").doUpdateSet(row))
          .execute();
        return;
      }
      case "WebhookSubscriptionDeleted": {
        const d = event.data as WebhookSubscriptionDeleted;
        await db
          .deleteFrom("webhook_subscriptions")
          .where("subscription_id", "=", d.subscriptionId)
          .execute();
        return;
      }
      case "WebhookSubscriptionPaused": {
        const d = event.data as WebhookSubscriptionPaused;
        await db
          .updateTable("webhook_subscriptions")
          .set({
            status: "PAUSED",
            status_reason: d.reason,
            updated_at: d.pausedAt,
            version: event.streamVersion,
            last_position: event.position,
          })
          .where("subscription_id", "=", d.subscriptionId)
          .execute();
        return;
      }
      case "WebhookSubscriptionResumed": {
        const d = event.data as WebhookSubscriptionResumed;
        await db
          .updateTable("webhook_subscriptions")
          .set({
            status: "ACTIVE",
            status_reason: null,
            updated_at: d.resumedAt,
            version: event.streamVersion,
            last_position: event.position,
          })
          .where("subscription_id", "=", d.subscriptionId)
          .execute();
        return;
      }
    }
  },
};
