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
  serviceLinkedRoleArn,
} from "../input.js";

const Input = z.object({
  ServiceNamespace: z.string(),
  ResourceIds: z.array(z.string()).max(50).optional(),
  ScalableDimension: z.string().optional(),
  ...Paging,
});

/** The registered ECS services' desired counts, in ResourceId order. */
export const describeScalableTargets = defineAction({
  name: "DescribeScalableTargets",
  input: Input,
  parse: parseApplicationAutoScaling(Input),
  async handle(input, ctx) {
    if (input.ScalableDimension !== undefined) requireEcsDimension(input.ScalableDimension);
    for (const id of input.ResourceIds ?? []) requireEcsResourceId(id);
    const limit = input.MaxResults ?? DEFAULT_PAGE;
    const after = decodeNextToken(input.NextToken, 1);
    let q = ctx.db
      .selectFrom("scalable_targets")
      .selectAll()
      .orderBy("resource_id")
      .limit(limit + 1);
    if (input.ResourceIds !== undefined && input.ResourceIds.length > 0) {
      q = q.where("resource_id", "in", input.ResourceIds);
    }
    if (after) q = q.where("resource_id", ">", String(after[0]));
    const rows = await q.execute();
    const page = rows.slice(0, limit);
    return {
      ScalableTargets: page.map((r) => ({
        ServiceNamespace: r.service_namespace,
        ResourceId: r.resource_id,
        ScalableDimension: r.scalable_dimension,
        MinCapacity: r.min_capacity,
        MaxCapacity: r.max_capacity,
        RoleARN: r.role_arn ?? serviceLinkedRoleArn(ctx.arn.accountId),
        CreationTime: r.created_at,
        SuspendedState: r.suspended_state,
        ScalableTargetARN: r.scalable_target_arn,
      })),
      ...(rows.length > limit ? { NextToken: encodeNextToken([page.at(-1)!.resource_id]) } : {}),
    };
  },
});
