import type { Action } from "../../protocol/action.js";
import { deleteAlarms } from "./deleteAlarms.js";
import { describeAlarmHistory } from "./describeAlarmHistory.js";
import { describeAlarms } from "./describeAlarms.js";
import { describeAlarmsForMetric } from "./describeAlarmsForMetric.js";
import { disableAlarmActions } from "./disableAlarmActions.js";
import { enableAlarmActions } from "./enableAlarmActions.js";
import { putMetricAlarm } from "./putMetricAlarm.js";
import { setAlarmState } from "./setAlarmState.js";

/** CloudWatch's alarm actions. */
export const ALARM_ACTIONS: readonly Action[] = [
  putMetricAlarm,
  describeAlarms,
  describeAlarmsForMetric,
  describeAlarmHistory,
  setAlarmState,
  deleteAlarms,
  enableAlarmActions,
  disableAlarmActions,
] as Action[];
