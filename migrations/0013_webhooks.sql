-- Webhook subscriptions, written with their events (shared/projections/webhookProjection.ts).
CREATE TABLE webhook_subscriptions (
  name                    text PRIMARY KEY,
  subscription_id         text NOT NULL UNIQUE,
  target_url              text NOT NULL,
  subject_filter          text NOT NULL,
  description             text,
  -- ACTIVE or PAUSED (a deleted subscription's row is removed).
  status                  text NOT NULL,
  status_reason           text,
  secret_sha256           text NOT NULL,
  created_at              timestamptz NOT NULL,
  updated_at              timestamptz NOT NULL,
  -- Where delivery starts: the WebhookSubscriptionCreated event's place in the log.
  start_transaction_id    xid8 NOT NULL,
  start_position          bigint NOT NULL,
  version                 bigint NOT NULL,
  last_position           bigint NOT NULL
);

-- The signing secrets, by subscription id. Not a projection: the log holds only each
-- secret's SHA-256, so a rebuild leaves this table alone (back it up with the database).
CREATE TABLE webhook_secrets (
  subscription_id   text PRIMARY KEY,
  secret            text NOT NULL,
  created_at        timestamptz NOT NULL DEFAULT now()
);

-- The deliverer's progress per subscription (operational, written by the leading replica):
-- the last event fully delivered, plus how many of the next event's public events were.
CREATE TABLE webhook_delivery_state (
  subscription_id        text PRIMARY KEY,
  transaction_id         xid8 NOT NULL,
  position               bigint NOT NULL,
  delivered_in_event     integer NOT NULL DEFAULT 0,
  consecutive_failures   integer NOT NULL DEFAULT 0,
  next_attempt_at        timestamptz,
  updated_at             timestamptz NOT NULL DEFAULT now()
);

-- The delivery log: one row per attempt (operational data, not events).
CREATE TABLE webhook_deliveries (
  id                  bigserial PRIMARY KEY,
  subscription_id     text NOT NULL,
  subscription_name   text NOT NULL,
  -- The public event's id (its log position) and its type and subject.
  event_id            text NOT NULL,
  event_type          text NOT NULL,
  subject             text NOT NULL,
  attempt             integer NOT NULL,
  succeeded           boolean NOT NULL,
  status_code         integer,
  error               text,
  duration_ms         integer NOT NULL,
  attempted_at        timestamptz NOT NULL,
  next_retry_at       timestamptz
);
CREATE INDEX webhook_deliveries_subscription ON webhook_deliveries (subscription_id, id);
