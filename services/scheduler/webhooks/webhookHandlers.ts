import { randomUUID } from "node:crypto";
import { served, type CommandContext, type ServedCommand } from "../../../shared/bus/index.js";
import {
  CreateWebhookSubscription,
  DeleteWebhookSubscription,
  ResumeWebhookSubscription,
} from "../../../shared/commands/scheduler/index.js";
import type { DecisionContext } from "../../../shared/aggregate/decider.js";
import { runCommand } from "../../../shared/aggregate/runCommand.js";
import { webhookSubscriptionStream } from "../../../shared/domain/streams.js";
import type { SchedulerContext } from "../context.js";
import {
  decideCreateWebhookSubscription,
  decideDeleteWebhookSubscription,
  decideResumeWebhookSubscription,
} from "./decideWebhooks.js";
import { newSigningSecret, secretSha256 } from "./signingSecret.js";
import { subscriptionView } from "./subscriptionView.js";
import { webhookSubscriptionAggregate, type WebhookSubscriptionState } from "./webhookState.js";

/**
 * The webhook subscription commands. Create stores the new secret under a new
 * subscription id before it appends: a failed or refused create leaves only an
 * orphaned secret row that no subscription points at, never a subscription
 * without its secret. The log gets the secret's SHA-256 only.
 */
export const webhookCommands = (deps: SchedulerContext): ServedCommand[] => {
  const { store } = deps;
  const dc = (ctx: CommandContext): DecisionContext => ({
    now: deps.clock(),
    arn: deps.arn,
    actor: ctx.metadata.actor,
  });
  const view = (state: WebhookSubscriptionState) => ({ subscription: subscriptionView(state) });
  return [
    served(CreateWebhookSubscription, async (payload, ctx) => {
      const subscriptionId = randomUUID();
      const secret = newSigningSecret();
      await deps.db
        .insertInto("webhook_secrets")
        .values({ subscription_id: subscriptionId, secret })
        .execute();
      const decision = dc(ctx);
      return runCommand(
        store,
        webhookSubscriptionStream(payload.name),
        webhookSubscriptionAggregate,
        (state) =>
          decideCreateWebhookSubscription(
            { ...payload, subscriptionId, secretSha256: secretSha256(secret) },
            state,
            decision,
          ),
        ctx.metadata,
        (state) => ({ subscription: { ...subscriptionView(state), signingSecret: secret } }),
      );
    }),
    served(DeleteWebhookSubscription, (payload, ctx) => {
      const decision = dc(ctx);
      return runCommand(
        store,
        webhookSubscriptionStream(payload.name),
        webhookSubscriptionAggregate,
        (state) => decideDeleteWebhookSubscription(payload, state, decision),
        ctx.metadata,
        view,
      );
    }),
    served(ResumeWebhookSubscription, (payload, ctx) => {
      const decision = dc(ctx);
      return runCommand(
        store,
        webhookSubscriptionStream(payload.name),
        webhookSubscriptionAggregate,
        (state) => decideResumeWebhookSubscription(payload, state, decision),
        ctx.metadata,
        view,
      );
    }),
  ];
};
