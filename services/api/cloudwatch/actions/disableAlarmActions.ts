import { z } from "zod";
import { DisableAlarmActions } from "../../../../shared/commands/autoscaler/index.js";
import { defineAction } from "../../protocol/action.js";
import { cloudWatchParser, list } from "../input.js";

const input = z.object({
  AlarmNames: list(z.string().min(1).max(255)).pipe(z.array(z.string()).max(100)),
});

/** CloudWatch DisableAlarmActions. */
export const disableAlarmActions = defineAction({
  name: "DisableAlarmActions",
  input,
  parse: cloudWatchParser(input),
  async handle(i, ctx) {
    await ctx.commands.send(DisableAlarmActions, { AlarmNames: i.AlarmNames }, ctx.metadata);
    return {};
  },
});
