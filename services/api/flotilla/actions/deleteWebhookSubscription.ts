import { DeleteWebhookSubscription } from "../../../../shared/commands/scheduler/index.js";
import { defineAction } from "../../protocol/action.js";

/** `FlotillaV1.DeleteWebhookSubscription`: delivery stops; the delivery log stays. */
export const deleteWebhookSubscription = defineAction({
  name: "DeleteWebhookSubscription",
  input: DeleteWebhookSubscription.payload,
  handle: (input, ctx) => ctx.commands.send(DeleteWebhookSubscription, input, ctx.metadata),
});
