import { ResumeWebhookSubscription } from "../../../../shared/commands/scheduler/index.js";
import { defineAction } from "../../protocol/action.js";

/** `FlotillaV1.ResumeWebhookSubscription`: a PAUSED subscription delivers again from where it stopped. */
export const resumeWebhookSubscription = defineAction({
  name: "ResumeWebhookSubscription",
  input: ResumeWebhookSubscription.payload,
  handle: (input, ctx) => ctx.commands.send(ResumeWebhookSubscription, input, ctx.metadata),
});
