import { z } from "zod";
import { SetAlarmState } from "../../../../shared/commands/autoscaler/index.js";
import { AlarmState } from "../../../../shared/domain/alarms/alarmDefinition.js";
import { defineAction } from "../../protocol/action.js";
import { cloudWatchParser } from "../input.js";

const input = z.object({
  AlarmName: z.string().min(1).max(255),
  StateValue: AlarmState,
  StateReason: z.string().max(1023),
  StateReasonData: z.string().max(4000).optional(),
});

/** CloudWatch SetAlarmState: ResourceNotFound for an unknown alarm. */
export const setAlarmState = defineAction({
  name: "SetAlarmState",
  input,
  parse: cloudWatchParser(input),
  async handle(i, ctx) {
    await ctx.commands.send(SetAlarmState, i, ctx.metadata);
    return {};
  },
});
