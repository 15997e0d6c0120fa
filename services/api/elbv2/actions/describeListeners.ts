import { z } from "zod";
import { elbv2Error } from "../../../../shared/domain/elbv2.js";
import { defineAction } from "../../protocol/action.js";
import { list, Paging } from "../input.js";
import { afterMarker, DEFAULT_ELB_PAGE_SIZE, page } from "../paging.js";
import {
  describeListener,
  findListeners,
  loadBalancerExists,
} from "../read/loadBalancerQueries.js";

export const describeListeners = defineAction({
  name: "DescribeListeners",
  input: z.object({
    LoadBalancerArn: z.string().optional(),
    ListenerArns: list(z.string()).optional(),
    ...Paging,
  }),
  async handle(input, ctx) {
    if (input.LoadBalancerArn === undefined && input.ListenerArns === undefined) {
      throw elbv2Error(
        "ValidationError",
        "You must specify either listener ARNs or a load balancer ARN",
      );
    }
    if (
      input.LoadBalancerArn !== undefined &&
      !(await loadBalancerExists(ctx.db, input.LoadBalancerArn))
    ) {
      throw elbv2Error(
        "LoadBalancerNotFound",
        `Load balancer '${input.LoadBalancerArn}' not found`,
      );
    }
    const limit = input.PageSize ?? DEFAULT_ELB_PAGE_SIZE;
    const after = afterMarker(input.Marker);
    const rows = await findListeners(ctx.db, {
      ...(input.LoadBalancerArn === undefined ? {} : { loadBalancerArn: input.LoadBalancerArn }),
      ...(input.ListenerArns ? { arns: input.ListenerArns } : {}),
      ...(after === undefined ? {} : { after }),
      limit: input.ListenerArns ? 1000 : limit,
    });
    const missing = input.ListenerArns?.find((a) => !rows.some((r) => r.listener_arn === a));
    if (missing !== undefined && after === undefined) {
      throw elbv2Error("ListenerNotFound", `One or more listeners not found: '${missing}'`);
    }
    const shown = page(rows, limit, (r) => r.listener_arn);
    return {
      Listeners: shown.rows.map(describeListener),
      ...(shown.nextMarker === undefined ? {} : { NextMarker: shown.nextMarker }),
    };
  },
});
