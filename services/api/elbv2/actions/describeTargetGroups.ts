import { z } from "zod";
import { elbv2Error } from "../../../../shared/domain/elbv2.js";
import { defineAction } from "../../protocol/action.js";
import { list, Paging } from "../input.js";
import { afterMarker, DEFAULT_ELB_PAGE_SIZE, page } from "../paging.js";
import { loadBalancerExists } from "../read/loadBalancerQueries.js";
import { describeTargetGroups as describe, findTargetGroups } from "../read/targetGroupQueries.js";

export const describeTargetGroups = defineAction({
  name: "DescribeTargetGroups",
  input: z.object({
    LoadBalancerArn: z.string().optional(),
    TargetGroupArns: list(z.string()).optional(),
    Names: list(z.string()).optional(),
    ...Paging,
  }),
  async handle(input, ctx) {
    const limit = input.PageSize ?? DEFAULT_ELB_PAGE_SIZE;
    if (
      input.LoadBalancerArn !== undefined &&
      !(await loadBalancerExists(ctx.db, input.LoadBalancerArn))
    ) {
      throw elbv2Error(
        "LoadBalancerNotFound",
        `Load balancer '${input.LoadBalancerArn}' not found`,
      );
    }
    const after = afterMarker(input.Marker);
    const rows = await findTargetGroups(ctx.db, {
      ...(input.Names ? { names: input.Names } : {}),
      ...(input.TargetGroupArns ? { arns: input.TargetGroupArns } : {}),
      ...(input.LoadBalancerArn === undefined ? {} : { loadBalancerArn: input.LoadBalancerArn }),
      ...(after === undefined ? {} : { after }),
      limit: input.Names || input.TargetGroupArns ? 1000 : limit,
    });
    // Named groups must all exist, as in ELBv2.
    const missing =
      input.Names?.find((n) => !rows.some((r) => r.target_group_name === n)) ??
      input.TargetGroupArns?.find((a) => !rows.some((r) => r.target_group_arn === a));
    if (missing !== undefined && after === undefined) {
      throw elbv2Error("TargetGroupNotFound", `One or more target groups not found: '${missing}'`);
    }
    const shown = page(rows, limit, (r) => r.target_group_name);
    return {
      TargetGroups: await describe(ctx.db, shown.rows),
      ...(shown.nextMarker === undefined ? {} : { NextMarker: shown.nextMarker }),
    };
  },
});
