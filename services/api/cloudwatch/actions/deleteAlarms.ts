import { z } from "zod";
import { DeleteAlarms } from "../../../../shared/commands/autoscaler/index.js";
import { defineAction } from "../../protocol/action.js";
import { cloudWatchParser, list } from "../input.js";

const input = z.object({
  AlarmNames: list(z.string().min(1).max(255)).pipe(z.array(z.string()).max(100)),
});

/** CloudWatch DeleteAlarms (names that do not exist are ignored). */
export const deleteAlarms = defineAction({
  name: "DeleteAlarms",
  input,
  parse: cloudWatchParser(input),
  async handle(i, ctx) {
    await ctx.commands.send(DeleteAlarms, { AlarmNames: i.AlarmNames }, ctx.metadata);
    return {};
  },
});
