import { z } from "zod";
import { RegisterTargets } from "../../../../shared/commands/scheduler/index.js";
import { defineAction } from "../../protocol/action.js";
import { list, TargetDescription, toTargets } from "../input.js";

export const registerTargets = defineAction({
  name: "RegisterTargets",
  input: z.object({ TargetGroupArn: z.string(), Targets: list(TargetDescription) }),
  async handle(input, ctx) {
    await ctx.commands.send(
      RegisterTargets,
      { targetGroupArn: input.TargetGroupArn, targets: toTargets(input.Targets) },
      ctx.metadata,
    );
    return {};
  },
});
