import { z } from "zod";

/**
 * Webhook subscriptions (stream `webhook:<name>`): an integrator without NATS
 * asks for the public events matching `subjectFilter` to be POSTed to
 * `targetUrl`. The signing secret itself is never in the log: it lives in the
 * `webhook_secrets` table; the event carries its SHA-256 so an auditor can
 * tell which secret a subscription was created with.
 */
export const WebhookSubscriptionCreated = z.object({
  name: z.string(),
  /** Unique per creation: a name deleted and created again gets a new id (and a new secret). */
  subscriptionId: z.string(),
  targetUrl: z.string(),
  /** NATS-style, relative to `<prefix>.public.`: `*.task.>`. */
  subjectFilter: z.string(),
  description: z.string().optional(),
  /** Hex SHA-256 of the signing secret (`whsec_…`). */
  secretSha256: z.string(),
  createdAt: z.string(),
});
export type WebhookSubscriptionCreated = z.infer<typeof WebhookSubscriptionCreated>;

/** DeleteWebhookSubscription: delivery stops; the delivery log is kept. */
export const WebhookSubscriptionDeleted = z.object({
  name: z.string(),
  subscriptionId: z.string(),
  deletedAt: z.string(),
});
export type WebhookSubscriptionDeleted = z.infer<typeof WebhookSubscriptionDeleted>;

/** The deliverer gave up after `consecutiveFailures` failed attempts in a row. */
export const WebhookSubscriptionPaused = z.object({
  name: z.string(),
  subscriptionId: z.string(),
  reason: z.string(),
  consecutiveFailures: z.number().int(),
  pausedAt: z.string(),
});
export type WebhookSubscriptionPaused = z.infer<typeof WebhookSubscriptionPaused>;

/** ResumeWebhookSubscription: delivery goes on from where it stopped. */
export const WebhookSubscriptionResumed = z.object({
  name: z.string(),
  subscriptionId: z.string(),
  resumedAt: z.string(),
});
export type WebhookSubscriptionResumed = z.infer<typeof WebhookSubscriptionResumed>;
