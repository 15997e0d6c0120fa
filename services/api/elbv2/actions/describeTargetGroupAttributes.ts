import { z } from "zod";
import { defineAction } from "../../protocol/action.js";
import { findTargetGroup } from "../read/targetGroupQueries.js";
import { targetGroupAttributes, targetGroupNotFound } from "./targetGroupAttributes.js";

export const describeTargetGroupAttributes = defineAction({
  name: "DescribeTargetGroupAttributes",
  input: z.object({ TargetGroupArn: z.string() }),
  async handle(input, ctx) {
    const row = await findTargetGroup(ctx.db, input.TargetGroupArn);
    if (!row) throw targetGroupNotFound(input.TargetGroupArn);
    return { Attributes: targetGroupAttributes(row) };
  },
});
