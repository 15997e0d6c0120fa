import { z } from "zod";
import { defineCommand } from "../../bus/commandBus.js";

/** A subscription as the API shows it (never with its secret, except once on creation). */
export const WebhookSubscriptionView = z.object({
  name: z.string(),
  subscriptionId: z.string(),
  targetUrl: z.string(),
  subjectFilter: z.string(),
  description: z.string().optional(),
  /** ACTIVE or PAUSED. */
  status: z.string(),
  statusReason: z.string().optional(),
  createdAt: z.string(),
});
export type WebhookSubscriptionView = z.infer<typeof WebhookSubscriptionView>;

const name = z.string().min(1).max(255);

/**
 * `FlotillaV1.CreateWebhookSubscription`: the public events whose subject
 * (relative to `<prefix>.public.`) matches `subjectFilter` are POSTed to
 * `targetUrl`, signed with a new secret that the reply shows this once.
 */
export const CreateWebhookSubscription = defineCommand({
  name: "CreateWebhookSubscription",
  owner: "scheduler",
  payload: z.object({
    name,
    targetUrl: z.string().min(1).max(2048),
    subjectFilter: z.string().min(1).max(255),
    description: z.string().max(1024).optional(),
  }),
  reply: z.object({
    subscription: WebhookSubscriptionView.extend({ signingSecret: z.string() }),
  }),
});

export const DeleteWebhookSubscription = defineCommand({
  name: "DeleteWebhookSubscription",
  owner: "scheduler",
  payload: z.object({ name }),
  reply: z.object({ subscription: WebhookSubscriptionView }),
});

export const ResumeWebhookSubscription = defineCommand({
  name: "ResumeWebhookSubscription",
  owner: "scheduler",
  payload: z.object({ name }),
  reply: z.object({ subscription: WebhookSubscriptionView }),
});
