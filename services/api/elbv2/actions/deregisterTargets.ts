import { z } from "zod";
import { DeregisterTargets } from "../../../../shared/commands/scheduler/index.js";
import { defineAction } from "../../protocol/action.js";
import { list, TargetDescription, toTargets } from "../input.js";

export const deregisterTargets = defineAction({
  name: "DeregisterTargets",
  input: z.object({ TargetGroupArn: z.string(), Targets: list(TargetDescription) }),
  async handle(input, ctx) {
    await ctx.commands.send(
      DeregisterTargets,
      { targetGroupArn: input.TargetGroupArn, targets: toTargets(input.Targets) },
      ctx.metadata,
    );
    return {};
  },
});
