import { z } from "zod";
import { EnableAlarmActions } from "../../../../shared/commands/autoscaler/index.js";
import { defineAction } from "../../protocol/action.js";
import { cloudWatchParser, list } from "../input.js";

const input = z.object({
  AlarmNames: list(z.string().min(1).max(255)).pipe(z.array(z.string()).max(100)),
});

/** CloudWatch EnableAlarmActions. */
export const enableAlarmActions = defineAction({
  name: "EnableAlarmActions",
  input,
  parse: cloudWatchParser(input),
  async handle(i, ctx) {
    await ctx.commands.send(EnableAlarmActions, { AlarmNames: i.AlarmNames }, ctx.metadata);
    return {};
  },
});
