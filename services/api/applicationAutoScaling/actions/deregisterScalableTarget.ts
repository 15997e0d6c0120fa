import { DeregisterScalableTarget } from "../../../../shared/commands/autoscaler/index.js";
import { defineAction } from "../../protocol/action.js";
import { parseApplicationAutoScaling } from "../input.js";

/** Deregisters a scalable target, with its policies and the alarms they own. */
export const deregisterScalableTarget = defineAction({
  name: "DeregisterScalableTarget",
  input: DeregisterScalableTarget.payload,
  parse: parseApplicationAutoScaling(DeregisterScalableTarget.payload),
  async handle(input, ctx) {
    return ctx.commands.send(DeregisterScalableTarget, input, ctx.metadata);
  },
});
