import { z } from "zod";
import { defineCommand } from "../../bus/commandBus.js";
import { AlarmState, ComparisonOperator } from "../../domain/alarms/alarmDefinition.js";
import {
  PolicyAlarm,
  StepScalingPolicyConfiguration,
  SuspendedState,
  TargetTrackingScalingPolicyConfiguration,
} from "../../domain/scaling/scalingPolicyConfiguration.js";

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

const TargetKey = {
  ServiceNamespace: z.string(),
  ResourceId: z.string(),
  ScalableDimension: z.string(),
};

/**
 * Application Auto Scaling RegisterScalableTarget, in the API's field names:
 * registers an ECS service's desired count, or updates a registered one (only
 * the fields given change; moving min / max past the desired count moves it).
 */
export const RegisterScalableTarget = defineCommand({
  name: "RegisterScalableTarget",
  owner: "autoscaler",
  payload: z.object({
    ...TargetKey,
    MinCapacity: z.number().int().optional(),
    MaxCapacity: z.number().int().optional(),
    RoleARN: z.string().optional(),
    SuspendedState: SuspendedState.optional(),
  }),
  reply: z.object({ ScalableTargetARN: z.string() }),
});

/** DeregisterScalableTarget: deletes its policies and the alarms they own. */
export const DeregisterScalableTarget = defineCommand({
  name: "DeregisterScalableTarget",
  owner: "autoscaler",
  payload: z.object(TargetKey),
  reply: z.object({}),
});

/** PutScalingPolicy: creates or replaces a policy; target tracking creates its alarms. */
export const PutScalingPolicy = defineCommand({
  name: "PutScalingPolicy",
  owner: "autoscaler",
  payload: z.object({
    ...TargetKey,
    PolicyName: z.string(),
    PolicyType: z.string().optional(),
    StepScalingPolicyConfiguration: StepScalingPolicyConfiguration.optional(),
    TargetTrackingScalingPolicyConfiguration: TargetTrackingScalingPolicyConfiguration.optional(),
  }),
  reply: z.object({ PolicyARN: z.string(), Alarms: z.array(PolicyAlarm) }),
});

/** DeleteScalingPolicy: with the alarms it owns. */
export const DeleteScalingPolicy = defineCommand({
  name: "DeleteScalingPolicy",
  owner: "autoscaler",
  payload: z.object({ ...TargetKey, PolicyName: z.string() }),
  reply: z.object({}),
});
