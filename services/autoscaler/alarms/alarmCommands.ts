import type { ServedCommand } from "../../../shared/bus/index.js";
import type { AutoscalerContext } from "../context.js";

/** The alarms' commands (PutMetricAlarm, DeleteAlarms, SetAlarmState, …). */
export const alarmCommands = (_ctx: AutoscalerContext): ServedCommand[] => [];
