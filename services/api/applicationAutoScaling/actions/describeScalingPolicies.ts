import { z } from "zod";
import {
  requireEcsDimension,
  requireEcsResourceId,
} from "../../../../shared/domain/scaling/targetKey.js";
import { defineAction } from "../../protocol/action.js";
import {
  decodeNextToken,
  DEFAULT_PAGE,
  encodeNextToken,
  Paging,
  parseApplicationAutoScaling,
} from "../input.js";
import { alarmsInvoking, policyView } from "../read/scalingQueries.js";

const Input = z.object({
  ServiceNamespace: z.string(),
  PolicyNames: z.array(z.string()).max(50).optional(),
  ResourceId: z.string().optional(),
  ScalableDimension: z.string().optional(),
  ...Paging,
});

/** Scaling policies with the alarms each owns (target tracking) or is invoked by (step scaling). */
export const describeScalingPolicies = defineAction({
  name: "DescribeScalingPolicies",
  input: Input,
  parse: parseApplicationAutoScaling(Input),
  async handle(input, ctx) {
    if (input.ScalableDimension !== undefined) requireEcsDimension(input.ScalableDimension);
    if (input.ResourceId !== undefined) requireEcsResourceId(input.ResourceId);
    const limit = input.MaxResults ?? DEFAULT_PAGE;
    const after = decodeNextToken(input.NextToken, 2);
    let q = ctx.db
      .selectFrom("scaling_policies")
      .selectAll()
      .orderBy("resource_id")
      .orderBy("policy_name")
      .limit(limit + 1);
    if (input.ResourceId !== undefined) q = q.where("resource_id", "=", input.ResourceId);
    if (input.PolicyNames !== undefined && input.PolicyNames.length > 0) {
      q = q.where("policy_name", "in", input.PolicyNames);
    }
    if (after) {
      const [r, p] = [String(after[0]), String(after[1])];
      q = q.where((eb) =>
        eb.or([
          eb("resource_id", ">", r),
          eb.and([eb("resource_id", "=", r), eb("policy_name", ">", p)]),
        ]),
      );
    }
    const rows = await q.execute();
    const page = rows.slice(0, limit);
    const attached = await alarmsInvoking(
      ctx.db,
      page.map((r) => r.policy_arn),
    );
    const last = page.at(-1);
    return {
      ScalingPolicies: page.map((r) => policyView(r, attached.get(r.policy_arn) ?? [])),
      ...(rows.length > limit && last
        ? { NextToken: encodeNextToken([last.resource_id, last.policy_name]) }
        : {}),
    };
  },
});
