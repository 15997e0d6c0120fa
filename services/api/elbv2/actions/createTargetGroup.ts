import { z } from "zod";
import { CreateTargetGroup } from "../../../../shared/commands/scheduler/index.js";
import { EcsError } from "../../../../shared/domain/errors.js";
import { defineAction } from "../../protocol/action.js";
import { HealthCheckFields, int, toHealthCheckInput } from "../input.js";
import { describeTargetGroups, findTargetGroup } from "../read/targetGroupQueries.js";

export const createTargetGroup = defineAction({
  name: "CreateTargetGroup",
  input: z.object({
    Name: z.string(),
    Protocol: z.string().optional(),
    ProtocolVersion: z.string().optional(),
    Port: int.optional(),
    VpcId: z.string().optional(),
    TargetType: z.string().optional(),
    ...HealthCheckFields,
  }),
  async handle(input, ctx) {
    const { targetGroupArn } = await ctx.commands.send(
      CreateTargetGroup,
      {
        name: input.Name,
        ...(input.Protocol === undefined ? {} : { protocol: input.Protocol }),
        ...(input.Port === undefined ? {} : { port: input.Port }),
        ...(input.TargetType === undefined ? {} : { targetType: input.TargetType }),
        ...toHealthCheckInput(input),
      },
      ctx.metadata,
    );
    const row = await findTargetGroup(ctx.db, targetGroupArn);
    if (!row)
      throw new EcsError("ServerException", "The target group was created but cannot be read.");
    return { TargetGroups: await describeTargetGroups(ctx.db, [row]) };
  },
});
