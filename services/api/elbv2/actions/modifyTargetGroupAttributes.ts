import { z } from "zod";
import { ModifyTargetGroupAttributes } from "../../../../shared/commands/scheduler/index.js";
import { defineAction } from "../../protocol/action.js";
import { list } from "../input.js";
import { findTargetGroup } from "../read/targetGroupQueries.js";
import { targetGroupAttributes, targetGroupNotFound } from "./targetGroupAttributes.js";

export const modifyTargetGroupAttributes = defineAction({
  name: "ModifyTargetGroupAttributes",
  input: z.object({
    TargetGroupArn: z.string(),
    Attributes: list(z.object({ Key: z.string(), Value: z.string().default("") })),
  }),
  async handle(input, ctx) {
    await ctx.commands.send(
      ModifyTargetGroupAttributes,
      {
        targetGroupArn: input.TargetGroupArn,
        attributes: input.Attributes.map((a) => ({ key: a.Key, value: a.Value })),
      },
      ctx.metadata,
    );
    const row = await findTargetGroup(ctx.db, input.TargetGroupArn);
    if (!row) throw targetGroupNotFound(input.TargetGroupArn);
    return { Attributes: targetGroupAttributes(row) };
  },
});
