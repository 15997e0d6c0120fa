import { z } from "zod";
import { defineCommand } from "../../bus/commandBus.js";
import { AlarmDefinition } from "../../domain/alarms/alarmDefinition.js";

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
