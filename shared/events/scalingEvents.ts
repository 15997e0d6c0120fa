import { z } from "zod";
import { AlarmState } from "../domain/alarms/alarmDefinition.js";
import {
  PolicyAlarm,
  PolicyType,
  StepScalingPolicyConfiguration,
  TargetTrackingScalingPolicyConfiguration,
} from "../domain/scaling/scalingPolicyConfiguration.js";

/**
 * Application Auto Scaling for ECS services: a scalable target (one ECS
 * service's desired count), its scaling policies, and every decision its
 * policies made — the scaling activities and the decisions not to scale, with
 * why. Stream: `scalabletarget:ecs/service/<cluster>/<service>`. Times are
 * epoch seconds.
 */

/** The three switches of SuspendedState, each filled in (false unless given). */
export const SuspendedFlags = z.object({
  DynamicScalingInSuspended: z.boolean(),
  DynamicScalingOutSuspended: z.boolean(),
  ScheduledScalingSuspended: z.boolean(),
});
export type SuspendedFlags = z.infer<typeof SuspendedFlags>;

export const ScalableTargetRegistered = z.object({
  clusterName: z.string(),
  serviceName: z.string(),
  serviceNamespace: z.literal("ecs"),
  resourceId: z.string(),
  scalableDimension: z.literal("ecs:service:DesiredCount"),
  scalableTargetArn: z.string(),
  minCapacity: z.number().int(),
  maxCapacity: z.number().int(),
  /** As the request gave it (absent: the service-linked role). */
  roleArn: z.string().optional(),
  suspendedState: SuspendedFlags,
  at: z.number(),
});
export type ScalableTargetRegistered = z.infer<typeof ScalableTargetRegistered>;

/** RegisterScalableTarget again: the target's settings after the change, every one. */
export const ScalableTargetUpdated = z.object({
  clusterName: z.string(),
  resourceId: z.string(),
  minCapacity: z.number().int(),
  maxCapacity: z.number().int(),
  roleArn: z.string().optional(),
  suspendedState: SuspendedFlags,
  at: z.number(),
});
export type ScalableTargetUpdated = z.infer<typeof ScalableTargetUpdated>;

/** DeregisterScalableTarget (its policies were deleted by events before this one). */
export const ScalableTargetDeregistered = z.object({
  clusterName: z.string(),
  resourceId: z.string(),
  at: z.number(),
});
export type ScalableTargetDeregistered = z.infer<typeof ScalableTargetDeregistered>;

/** PutScalingPolicy created or replaced a policy: its whole configuration and owned alarms. */
export const ScalingPolicyPut = z.object({
  clusterName: z.string(),
  resourceId: z.string(),
  policyName: z.string(),
  policyArn: z.string(),
  policyType: PolicyType,
  stepScalingPolicyConfiguration: StepScalingPolicyConfiguration.optional(),
  targetTrackingScalingPolicyConfiguration: TargetTrackingScalingPolicyConfiguration.optional(),
  /** The alarms the policy owns (target tracking); empty for step scaling. */
  alarms: z.array(PolicyAlarm),
  /** When the policy was first created (kept across updates). */
  createdAt: z.number(),
  at: z.number(),
});
export type ScalingPolicyPut = z.infer<typeof ScalingPolicyPut>;

export const ScalingPolicyDeleted = z.object({
  clusterName: z.string(),
  resourceId: z.string(),
  policyName: z.string(),
  policyArn: z.string(),
  at: z.number(),
});
export type ScalingPolicyDeleted = z.infer<typeof ScalingPolicyDeleted>;

/** The alarm invocation a policy decision answered. */
export const AlarmSignal = z.object({
  alarmName: z.string(),
  state: AlarmState,
  /** The newest datapoint the alarm evaluated; null when it had none. */
  metricValue: z.number().nullable(),
  threshold: z.number(),
});
export type AlarmSignal = z.infer<typeof AlarmSignal>;

export const ScalingDirection = z.enum(["out", "in", "set"]);
export type ScalingDirection = z.infer<typeof ScalingDirection>;

/**
 * A scaling activity began (StatusCode InProgress): a policy, or a change of
 * min / max capacity (direction `set`, no policy), sets the desired count.
 */
export const ScalingActivityStarted = z.object({
  clusterName: z.string(),
  resourceId: z.string(),
  activityId: z.string(),
  policyName: z.string().optional(),
  direction: ScalingDirection,
  fromCapacity: z.number().int(),
  toCapacity: z.number().int(),
  description: z.string(),
  cause: z.string(),
  details: z.string().optional(),
  signal: AlarmSignal.optional(),
  at: z.number(),
});
export type ScalingActivityStarted = z.infer<typeof ScalingActivityStarted>;

/** The UpdateService that carried the activity out answered. */
export const ScalingActivityCompleted = z.object({
  clusterName: z.string(),
  resourceId: z.string(),
  activityId: z.string(),
  statusCode: z.enum(["Successful", "Failed"]),
  statusMessage: z.string(),
  at: z.number(),
});
export type ScalingActivityCompleted = z.infer<typeof ScalingActivityCompleted>;

/**
 * Why a decision did not scale. AWS's codes (AlreadyAtMaxCapacity,
 * AlreadyAtMinCapacity, AlreadyAtDesiredCapacity,
 * TargetServicePutResourceAsUnscalable) and Flotilla's (see docs/autoscaling.md).
 */
export const NotScaledReason = z.object({
  Code: z.string(),
  CurrentCapacity: z.number().int().optional(),
  MinCapacity: z.number().int().optional(),
  MaxCapacity: z.number().int().optional(),
});
export type NotScaledReason = z.infer<typeof NotScaledReason>;

/** A policy was invoked by its alarm and decided not to scale (a "not scaled activity"). */
export const ScalingNotPerformed = z.object({
  clusterName: z.string(),
  resourceId: z.string(),
  activityId: z.string(),
  policyName: z.string(),
  description: z.string(),
  cause: z.string(),
  notScaledReasons: z.array(NotScaledReason).min(1),
  signal: AlarmSignal.optional(),
  at: z.number(),
});
export type ScalingNotPerformed = z.infer<typeof ScalingNotPerformed>;

/**
 * A policy's alarm left ALARM (to OK or INSUFFICIENT_DATA): nothing to do,
 * but other policies' scale-in decisions depend on it.
 */
export const ScalingAlarmSignalled = z.object({
  clusterName: z.string(),
  resourceId: z.string(),
  policyName: z.string(),
  signal: AlarmSignal,
  at: z.number(),
});
export type ScalingAlarmSignalled = z.infer<typeof ScalingAlarmSignalled>;
