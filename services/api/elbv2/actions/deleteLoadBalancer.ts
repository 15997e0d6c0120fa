import { z } from "zod";
import { DeleteLoadBalancer } from "../../../../shared/commands/scheduler/index.js";
import { defineAction } from "../../protocol/action.js";

export const deleteLoadBalancer = defineAction({
  name: "DeleteLoadBalancer",
  input: z.object({ LoadBalancerArn: z.string() }),
  async handle(input, ctx) {
    await ctx.commands.send(
      DeleteLoadBalancer,
      { loadBalancerArn: input.LoadBalancerArn },
      ctx.metadata,
    );
    return {};
  },
});
