import { z } from "zod";
import { defineCommand } from "../../bus/commandBus.js";
import { AlarmState, ComparisonOperator } from "../../domain/alarms/alarmDefinition.js";

/**
 * An alarm invoking a scaling policy named in its actions: sent by the alarm
 * evaluator for each Application Auto Scaling policy ARN among the actions of
 * the alarm's state — every period while the alarm stays in ALARM, once on a
 * transition to OK or INSUFFICIENT_DATA. The policy decides what to do.
 */
export const ExecuteScalingPolicy = defineCommand({
  name: "ExecuteScalingPolicy",
  owner: "autoscaler",
  payload: z.object({
    policyArn: z.string(),
    alarmName: z.string(),
    alarmArn: z.string(),
    state: AlarmState,
    threshold: z.number(),
    comparisonOperator: ComparisonOperator,
    /** The alarm's period, seconds. */
    period: z.number().int(),
    /** The newest datapoint the evaluation used (the breach is metricValue − threshold); null if none. */
    metricValue: z.number().nullable(),
    /** When the evaluation ran (ISO 8601). */
    evaluatedAt: z.string(),
  }),
  reply: z.object({
    /** What the policy did: `scaled`, or why it did not (`cooldown`, `atMaximum`, …). */
    outcome: z.string(),
    activityId: z.string().optional(),
  }),
});
