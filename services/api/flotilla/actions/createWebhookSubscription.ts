import { CreateWebhookSubscription } from "../../../../shared/commands/scheduler/index.js";
import { defineAction } from "../../protocol/action.js";

/**
 * `FlotillaV1.CreateWebhookSubscription` (docs/extensions.md): POST the
 * public events matching `subjectFilter` to `targetUrl`, signed. The reply
 * holds the signing secret; it is never shown again.
 */
export const createWebhookSubscription = defineAction({
  name: "CreateWebhookSubscription",
  input: CreateWebhookSubscription.payload,
  handle: (input, ctx) => ctx.commands.send(CreateWebhookSubscription, input, ctx.metadata),
});
