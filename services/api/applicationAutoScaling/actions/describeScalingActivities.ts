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

const Input = z.object({
  ServiceNamespace: z.string(),
  ResourceId: z.string().optional(),
  ScalableDimension: z.string().optional(),
  IncludeNotScaledActivities: z.boolean().optional(),
  ...Paging,
});

/**
 * Scaling activities, newest first; with IncludeNotScaledActivities also the
 * decisions that did not scale, each with its NotScaledReasons.
 */
export const describeScalingActivities = defineAction({
  name: "DescribeScalingActivities",
  input: Input,
  parse: parseApplicationAutoScaling(Input),
  async handle(input, ctx) {
    if (input.ScalableDimension !== undefined) requireEcsDimension(input.ScalableDimension);
    if (input.ResourceId !== undefined) requireEcsResourceId(input.ResourceId);
    const limit = input.MaxResults ?? DEFAULT_PAGE;
    const after = decodeNextToken(input.NextToken, 1);
    let q = ctx.db
      .selectFrom("scaling_activities")
      .selectAll()
      .orderBy("position", "desc")
      .limit(limit + 1);
    if (input.ResourceId !== undefined) q = q.where("resource_id", "=", input.ResourceId);
    if (!input.IncludeNotScaledActivities) q = q.where("not_scaled_reasons", "is", null);
    if (after) q = q.where("position", "<", Number(after[0]));
    const rows = await q.execute();
    const page = rows.slice(0, limit);
    const last = page.at(-1);
    return {
      ScalingActivities: page.map((r) => ({
        ActivityId: r.activity_id,
        ServiceNamespace: "ecs",
        ResourceId: r.resource_id,
        ScalableDimension: "ecs:service:DesiredCount",
        Description: r.description,
        Cause: r.cause,
        StartTime: r.start_time,
        ...(r.end_time === null ? {} : { EndTime: r.end_time }),
        StatusCode: r.status_code,
        ...(r.status_message === null ? {} : { StatusMessage: r.status_message }),
        ...(r.details === null ? {} : { Details: r.details }),
        ...(r.not_scaled_reasons === null ? {} : { NotScaledReasons: r.not_scaled_reasons }),
      })),
      ...(rows.length > limit && last ? { NextToken: encodeNextToken([last.position]) } : {}),
    };
  },
});
