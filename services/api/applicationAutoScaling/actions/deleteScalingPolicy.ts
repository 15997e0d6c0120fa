import { DeleteScalingPolicy } from "../../../../shared/commands/autoscaler/index.js";
import { defineAction } from "../../protocol/action.js";
import { parseApplicationAutoScaling } from "../input.js";

/** Deletes a scaling policy and the alarms it owns. */
export const deleteScalingPolicy = defineAction({
  name: "DeleteScalingPolicy",
  input: DeleteScalingPolicy.payload,
  parse: parseApplicationAutoScaling(DeleteScalingPolicy.payload),
  async handle(input, ctx) {
    return ctx.commands.send(DeleteScalingPolicy, input, ctx.metadata);
  },
});
