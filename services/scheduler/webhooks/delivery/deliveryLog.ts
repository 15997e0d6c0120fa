import type { Kysely } from "kysely";
import type { Database } from "../../../../shared/db/index.js";

/** One attempt, as `ListWebhookDeliveries` shows it. */
export interface DeliveryAttempt {
  readonly subscriptionId: string;
  readonly subscriptionName: string;
  readonly eventId: string;
  readonly eventType: string;
  readonly subject: string;
  readonly attempt: number;
  readonly succeeded: boolean;
  readonly statusCode: number | undefined;
  readonly error: string | undefined;
  readonly durationMs: number;
  readonly attemptedAt: Date;
  readonly nextRetryAt: Date | undefined;
}

/** Appends one attempt to the delivery log. */
export const recordDeliveryAttempt = async (
  db: Kysely<Database>,
  a: DeliveryAttempt,
): Promise<void> => {
  await db
    .insertInto("webhook_deliveries")
    .values({
      subscription_id: a.subscriptionId,
      subscription_name: a.subscriptionName,
      event_id: a.eventId,
      event_type: a.eventType,
      subject: a.subject,
      attempt: a.attempt,
      succeeded: a.succeeded,
      status_code: a.statusCode ?? null,
      error: a.error?.slice(0, 1000) ?? null,
      duration_ms: a.durationMs,
      attempted_at: a.attemptedAt,
      next_retry_at: a.nextRetryAt ?? null,
    })
    .execute();
};
