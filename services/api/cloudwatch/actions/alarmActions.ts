import type { Action } from "../../protocol/action.js";

/** CloudWatch's alarm actions: PutMetricAlarm, DescribeAlarms, SetAlarmState, … */
export const ALARM_ACTIONS: readonly Action[] = [];
