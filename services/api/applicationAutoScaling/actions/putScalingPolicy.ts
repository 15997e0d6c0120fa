import { PutScalingPolicy } from "../../../../shared/commands/autoscaler/index.js";
import { defineAction } from "../../protocol/action.js";
import { parseApplicationAutoScaling } from "../input.js";

/** Creates or replaces a scaling policy; answers its ARN and the alarms it created. */
export const putScalingPolicy = defineAction({
  name: "PutScalingPolicy",
  input: PutScalingPolicy.payload,
  parse: parseApplicationAutoScaling(PutScalingPolicy.payload),
  async handle(input, ctx) {
    return ctx.commands.send(PutScalingPolicy, input, ctx.metadata);
  },
});
