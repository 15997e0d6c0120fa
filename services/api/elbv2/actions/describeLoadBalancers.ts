import { z } from "zod";
import { elbv2Error } from "../../../../shared/domain/elbv2.js";
import { defineAction } from "../../protocol/action.js";
import { list, Paging } from "../input.js";
import { afterMarker, DEFAULT_ELB_PAGE_SIZE, page } from "../paging.js";
import { describeLoadBalancer, findLoadBalancers } from "../read/loadBalancerQueries.js";

export const describeLoadBalancers = defineAction({
  name: "DescribeLoadBalancers",
  input: z.object({
    LoadBalancerArns: list(z.string()).optional(),
    Names: list(z.string()).optional(),
    ...Paging,
  }),
  async handle(input, ctx) {
    const limit = input.PageSize ?? DEFAULT_ELB_PAGE_SIZE;
    const after = afterMarker(input.Marker);
    const named = input.Names !== undefined || input.LoadBalancerArns !== undefined;
    const rows = await findLoadBalancers(ctx.db, {
      ...(input.Names ? { names: input.Names } : {}),
      ...(input.LoadBalancerArns ? { arns: input.LoadBalancerArns } : {}),
      ...(after === undefined ? {} : { after }),
      limit: named ? 1000 : limit,
    });
    const missing =
      input.Names?.find((n) => !rows.some((r) => r.load_balancer_name === n)) ??
      input.LoadBalancerArns?.find((a) => !rows.some((r) => r.load_balancer_arn === a));
    if (missing !== undefined && after === undefined) {
      throw elbv2Error(
        "LoadBalancerNotFound",
        `One or more load balancers not found: '${missing}'`,
      );
    }
    const shown = page(rows, limit, (r) => r.load_balancer_name);
    return {
      LoadBalancers: shown.rows.map(describeLoadBalancer),
      ...(shown.nextMarker === undefined ? {} : { NextMarker: shown.nextMarker }),
    };
  },
});
