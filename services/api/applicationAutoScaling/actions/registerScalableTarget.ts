import { z } from "zod";
import { RegisterScalableTarget } from "../../../../shared/commands/autoscaler/index.js";
import { defineAction } from "../../protocol/action.js";
import { parseApplicationAutoScaling } from "../input.js";

const Input = RegisterScalableTarget.payload.extend({
  /** Accepted and not kept (Flotilla does not tag scalable targets). */
  Tags: z.record(z.string(), z.string()).optional(),
});

/** Registers an ECS service's desired count (or changes a registered one's min / max / suspension). */
export const registerScalableTarget = defineAction({
  name: "RegisterScalableTarget",
  input: Input,
  parse: parseApplicationAutoScaling(Input),
  async handle({ Tags: _tags, ...input }, ctx) {
    return ctx.commands.send(RegisterScalableTarget, input, ctx.metadata);
  },
});
