import { z } from "zod";
import { ModifyTargetGroup } from "../../../../shared/commands/scheduler/index.js";
import { EcsError } from "../../../../shared/domain/errors.js";
import { defineAction } from "../../protocol/action.js";
import { HealthCheckFields, toHealthCheckInput } from "../input.js";
import { describeTargetGroups, findTargetGroup } from "../read/targetGroupQueries.js";

export const modifyTargetGroup = defineAction({
  name: "ModifyTargetGroup",
  input: z.object({ TargetGroupArn: z.string(), ...HealthCheckFields }),
  async handle(input, ctx) {
    await ctx.commands.send(
      ModifyTargetGroup,
      { targetGroupArn: input.TargetGroupArn, ...toHealthCheckInput(input) },
      ctx.metadata,
    );
    const row = await findTargetGroup(ctx.db, input.TargetGroupArn);
    if (!row)
      throw new EcsError("ServerException", "The target group was modified but cannot be read.");
    return { TargetGroups: await describeTargetGroups(ctx.db, [row]) };
  },
});
