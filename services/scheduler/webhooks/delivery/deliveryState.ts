import type pg from "pg";
import type { Kysely } from "kysely";
import type { Database } from "../../../../shared/db/index.js";
import type { Checkpoint } from "../../../../shared/eventstore/index.js";

/** Where one subscription's delivery stands. */
export interface DeliveryState {
  /** The last recorded event whose public events were all delivered (or matched none). */
  readonly checkpoint: Checkpoint;
  /** How many matching public events of the next recorded event were delivered already. */
  readonly deliveredInEvent: number;
  /** Failed attempts in a row at the current event. */
  readonly consecutiveFailures: number;
  readonly nextAttemptAt: Date | undefined;
}

/** An ACTIVE subscription with what delivery needs: its secret and its progress. */
export interface DueSubscription {
  readonly name: string;
  readonly subscriptionId: string;
  readonly targetUrl: string;
  readonly subjectFilter: string;
  readonly secret: string;
  readonly state: DeliveryState;
}

interface Row {
  name: string;
  subscription_id: string;
  target_url: string;
  subject_filter: string;
  secret: string;
  start_transaction_id: string;
  start_position: number | string;
  transaction_id: string | null;
  position: number | string | null;
  delivered_in_event: number | null;
  consecutive_failures: number | null;
  next_attempt_at: Date | null;
}

/**
 * Every ACTIVE subscription that has its secret, with its progress; one that
 * has none yet starts right after its own WebhookSubscriptionCreated event.
 */
export const activeSubscriptions = async (db: Kysely<Database>): Promise<DueSubscription[]> => {
  const rows = (await db
    .selectFrom("webhook_subscriptions as w")
    .innerJoin("webhook_secrets as s", "s.subscription_id", "w.subscription_id")
    .leftJoin("webhook_delivery_state as d", "d.subscription_id", "w.subscription_id")
    .select([
      "w.name",
      "w.subscription_id",
      "w.target_url",
      "w.subject_filter",
      "s.secret",
      "w.start_position",
      "d.position",
      "d.delivered_in_event",
      "d.consecutive_failures",
      "d.next_attempt_at",
    ])
    .select((e) => [
      e.cast<string>("w.start_transaction_id", "text").as("start_transaction_id"),
      e.cast<string>("d.transaction_id", "text").as("transaction_id"),
    ])
    .where("w.status", "=", "ACTIVE")
    .orderBy("w.name")
    .execute()) as Row[];
  return rows.map((r) => ({
    name: r.name,
    subscriptionId: r.subscription_id,
    targetUrl: r.target_url,
    subjectFilter: r.subject_filter,
    secret: r.secret,
    state:
      r.transaction_id === null || r.position === null
        ? {
            checkpoint: {
              transactionId: String(r.start_transaction_id),
              position: Number(r.start_position),
            },
            deliveredInEvent: 0,
            consecutiveFailures: 0,
            nextAttemptAt: undefined,
          }
        : {
            checkpoint: { transactionId: String(r.transaction_id), position: Number(r.position) },
            deliveredInEvent: r.delivered_in_event ?? 0,
            consecutiveFailures: r.consecutive_failures ?? 0,
            nextAttemptAt: r.next_attempt_at ?? undefined,
          },
  }));
};

/** Whether the subscription is still the ACTIVE one of its name (not paused, not deleted). */
export const isStillActive = async (
  db: Kysely<Database>,
  subscriptionId: string,
): Promise<boolean> => {
  const row = await db
    .selectFrom("webhook_subscriptions")
    .select("status")
    .where("subscription_id", "=", subscriptionId)
    .executeTakeFirst();
  return row?.status === "ACTIVE";
};

/**
 * Saves a subscription's progress on the deliverer's leader session, so a
 * replica that lost the leadership can no longer move it.
 */
export const saveDeliveryState = async (
  client: pg.ClientBase,
  subscriptionId: string,
  state: DeliveryState,
): Promise<void> => {
  await client.query(
    `INSERT INTO webhook_delivery_state AS s
       (subscription_id, transaction_id, position, delivered_in_event, consecutive_failures,
        next_attempt_at, updated_at)
     VALUES ($1, $2::xid8, $3, $4, $5, $6, now())
     ON CONFLICT (subscription_id) DO UPDATE
        SET transaction_id = EXCLUDED.transaction_id, position = EXCLUDED.position,
            delivered_in_event = EXCLUDED.delivered_in_event,
            consecutive_failures = EXCLUDED.consecutive_failures,
            next_attempt_at = EXCLUDED.next_attempt_at, updated_at = now()`,
    [
      subscriptionId,
      state.checkpoint.transactionId,
      state.checkpoint.position,
      state.deliveredInEvent,
      state.consecutiveFailures,
      state.nextAttemptAt ?? null,
    ],
  );
};
