import { z } from "zod";
import { CreateListener } from "../../../../shared/commands/scheduler/index.js";
import { EcsError } from "../../../../shared/domain/errors.js";
import { defineAction } from "../../protocol/action.js";
import { int, list } from "../input.js";
import { describeListener, findListeners } from "../read/loadBalancerQueries.js";

const Action = z.object({
  Type: z.string(),
  TargetGroupArn: z.string().optional(),
  Order: int.optional(),
});

export const createListener = defineAction({
  name: "CreateListener",
  input: z.object({
    LoadBalancerArn: z.string(),
    Protocol: z.string().optional(),
    Port: int,
    DefaultActions: list(Action),
  }),
  async handle(input, ctx) {
    const { listenerArn } = await ctx.commands.send(
      CreateListener,
      {
        loadBalancerArn: input.LoadBalancerArn,
        ...(input.Protocol === undefined ? {} : { protocol: input.Protocol }),
        port: input.Port,
        defaultActions: input.DefaultActions.map((a) => ({
          type: a.Type,
          ...(a.TargetGroupArn === undefined ? {} : { targetGroupArn: a.TargetGroupArn }),
        })),
      },
      ctx.metadata,
    );
    const [row] = await findListeners(ctx.db, { arns: [listenerArn], limit: 1 });
    if (!row) throw new EcsError("ServerException", "The listener was created but cannot be read.");
    return { Listeners: [describeListener(row)] };
  },
});
