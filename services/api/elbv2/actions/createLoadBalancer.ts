import { z } from "zod";
import { CreateLoadBalancer } from "../../../../shared/commands/scheduler/index.js";
import { EcsError } from "../../../../shared/domain/errors.js";
import { defineAction } from "../../protocol/action.js";
import { list } from "../input.js";
import { describeLoadBalancer, findLoadBalancers } from "../read/loadBalancerQueries.js";

/** CreateLoadBalancer (application); subnets and security groups are accepted and ignored. */
export const createLoadBalancer = defineAction({
  name: "CreateLoadBalancer",
  input: z.object({
    Name: z.string(),
    Type: z.string().optional(),
    Scheme: z.string().optional(),
    Subnets: list(z.string()).optional(),
    SecurityGroups: list(z.string()).optional(),
    IpAddressType: z.string().optional(),
  }),
  async handle(input, ctx) {
    const { loadBalancerArn } = await ctx.commands.send(
      CreateLoadBalancer,
      {
        name: input.Name,
        ...(input.Type === undefined ? {} : { type: input.Type }),
        ...(input.Scheme === undefined ? {} : { scheme: input.Scheme }),
      },
      ctx.metadata,
    );
    const [row] = await findLoadBalancers(ctx.db, { arns: [loadBalancerArn], limit: 1 });
    if (!row)
      throw new EcsError("ServerException", "The load balancer was created but cannot be read.");
    return { LoadBalancers: [describeLoadBalancer(row)] };
  },
});
