/** The autoscaler's command catalogue: `<prefix>.cmd.autoscaler.<Name>`. */
export { DeleteAlarms, PutMetricAlarm } from "./alarmCommands.js";
export { ExecuteScalingPolicy } from "./scalingCommands.js";
