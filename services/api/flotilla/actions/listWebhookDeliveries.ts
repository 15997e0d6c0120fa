import { z } from "zod";
import { EcsError } from "../../../../shared/domain/errors.js";
import { defineAction } from "../../protocol/action.js";
import { DEFAULT_PAGE_SIZE, PagingInput, decodeToken, encodeToken } from "../../ecs/pagination.js";

/**
 * `FlotillaV1.ListWebhookDeliveries`: the delivery log of a subscription,
 * newest attempt first — event id, attempt number, HTTP status or error,
 * duration, time, and when the next retry is due after a failure.
 */
export const listWebhookDeliveries = defineAction({
  name: "ListWebhookDeliveries",
  input: z.object({ name: z.string().min(1).max(255), ...PagingInput }),
  async handle(input, ctx) {
    const sub = await ctx.db
      .selectFrom("webhook_subscriptions")
      .select(["subscription_id", "status", "status_reason"])
      .where("name", "=", input.name)
      .executeTakeFirst();
    if (sub === undefined) {
      throw new EcsError(
        "ResourceNotFoundException",
        `name: webhook subscription ${input.name} does not exist.`,
      );
    }
    const limit = input.maxResults ?? DEFAULT_PAGE_SIZE;
    const after = decodeToken(input.nextToken, ["number"]);
    let query = ctx.db
      .selectFrom("webhook_deliveries")
      .selectAll()
      .where("subscription_id", "=", sub.subscription_id)
      .orderBy("id", "desc")
      .limit(limit + 1);
    if (after) query = query.where("id", "<", Number(after[0]));
    const rows = await query.execute();
    const page = rows.slice(0, limit);
    return {
      status: sub.status,
      ...(sub.status_reason === null ? {} : { statusReason: sub.status_reason }),
      deliveries: page.map((r) => ({
        eventId: r.event_id,
        eventType: r.event_type,
        subject: r.subject,
        attempt: r.attempt,
        succeeded: r.succeeded,
        ...(r.status_code === null ? {} : { statusCode: r.status_code }),
        ...(r.error === null ? {} : { error: r.error }),
        durationMs: r.duration_ms,
        attemptedAt: r.attempted_at.toISOString(),
        ...(r.next_retry_at === null ? {} : { nextRetryAt: r.next_retry_at.toISOString() }),
      })),
      ...(rows.length > limit ? { nextToken: encodeToken([Number(page.at(-1)!.id)]) } : {}),
    };
  },
});
