import type { Selectable } from "kysely";
import { z } from "zod";
import type { WebhookSubscriptionView } from "../../../../shared/commands/scheduler/index.js";
import type { WebhookSubscriptionsTable } from "../../../../shared/db/index.js";
import { defineAction } from "../../protocol/action.js";
import { DEFAULT_PAGE_SIZE, PagingInput, decodeToken, encodeToken } from "../../ecs/pagination.js";

export const webhookView = (
  row: Selectable<WebhookSubscriptionsTable>,
): WebhookSubscriptionView => ({
  name: row.name,
  subscriptionId: row.subscription_id,
  targetUrl: row.target_url,
  subjectFilter: row.subject_filter,
  ...(row.description === null ? {} : { description: row.description }),
  status: row.status,
  ...(row.status_reason === null ? {} : { statusReason: row.status_reason }),
  createdAt: row.created_at.toISOString(),
});

/** `FlotillaV1.ListWebhookSubscriptions`: every subscription by name, without secrets. */
export const listWebhookSubscriptions = defineAction({
  name: "ListWebhookSubscriptions",
  input: z.object({ ...PagingInput }),
  async handle(input, ctx) {
    const limit = input.maxResults ?? DEFAULT_PAGE_SIZE;
    const after = decodeToken(input.nextToken, ["string"]);
    let query = ctx.db
      .selectFrom("webhook_subscriptions")
      .selectAll()
      .orderBy("name")
      .limit(limit + 1);
    if (after) query = query.where("name", ">", String(after[0]));
    const rows = await query.execute();
    const page = rows.slice(0, limit);
    return {
      subscriptions: page.map(webhookView),
      ...(rows.length > limit ? { nextToken: encodeToken([page.at(-1)!.name]) } : {}),
    };
  },
});
