import { z } from "zod";
import { DeleteTargetGroup } from "../../../../shared/commands/scheduler/index.js";
import { defineAction } from "../../protocol/action.js";

export const deleteTargetGroup = defineAction({
  name: "DeleteTargetGroup",
  input: z.object({ TargetGroupArn: z.string() }),
  async handle(input, ctx) {
    await ctx.commands.send(
      DeleteTargetGroup,
      { targetGroupArn: input.TargetGroupArn },
      ctx.metadata,
    );
    return {};
  },
});
