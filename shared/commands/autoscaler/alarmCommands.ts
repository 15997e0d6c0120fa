import { z } from "zod";
import { defineCommand } from "../../bus/commandBus.js";
import { AlarmDefinition, AlarmState } from "../../domain/alarms/alarmDefinition.js";

/**
 * CloudWatch PutMetricAlarm: creates or replaces an alarm. `ManagedBy` is set
 * when a target tracking policy owns the alarm (its policy ARN).
 */
export const PutMetricAlarm = defineCommand({
  name: "PutMetricAlarm",
  owner: "autoscaler",
  payload: AlarmDefinition.extend({ ManagedBy: z.string().optional() }),
  reply: z.object({ alarmArn: z.string() }),
});

/** CloudWatch DeleteAlarms: names that do not exist are ignored, as CloudWatch does. */
export const DeleteAlarms = defineCommand({
  name: "DeleteAlarms",
  owner: "autoscaler",
  payload: z.object({ AlarmNames: z.array(z.string()).max(100) }),
  reply: z.object({}),
});

/**
 * CloudWatch SetAlarmState: sets the state until the next evaluation (which
 * may set it back); the actions of the new state run as for any transition.
 * ResourceNotFound for an unknown alarm.
 */
export const SetAlarmState = defineCommand({
  name: "SetAlarmState",
  owner: "autoscaler",
  payload: z.object({
    AlarmName: z.string(),
    StateValue: AlarmState,
    StateReason: z.string(),
    StateReasonData: z.string().optional(),
  }),
  reply: z.object({}),
});

/** CloudWatch EnableAlarmActions: names that do not exist are ignored. */
export const EnableAlarmActions = defineCommand({
  name: "EnableAlarmActions",
  owner: "autoscaler",
  payload: z.object({ AlarmNames: z.array(z.string()).max(100) }),
  reply: z.object({}),
});

/** CloudWatch DisableAlarmActions: names that do not exist are ignored. */
export const DisableAlarmActions = defineCommand({
  name: "DisableAlarmActions",
  owner: "autoscaler",
  payload: z.object({ AlarmNames: z.array(z.string()).max(100) }),
  reply: z.object({}),
});
