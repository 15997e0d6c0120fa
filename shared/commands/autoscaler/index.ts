/** The autoscaler's command catalogue: `<prefix>.cmd.autoscaler.<Name>`. */
export {
  DeleteAlarms,
  DisableAlarmActions,
  EnableAlarmActions,
  PutMetricAlarm,
  SetAlarmState,
} from "./alarmCommands.js";
export { PutMetricData } from "./metricCommands.js";
export {
  DeleteScalingPolicy,
  DeregisterScalableTarget,
  ExecuteScalingPolicy,
  PutScalingPolicy,
  RegisterScalableTarget,
} from "./scalingCommands.js";
