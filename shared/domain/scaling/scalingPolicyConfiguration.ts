import { z } from "zod";

/**
 * Application Auto Scaling's shapes, in the API's own field names: the
 * commands, the events and the API take them as they are.
 */

export const ECS_SERVICE_NAMESPACE = "ecs";
export const ECS_DESIRED_COUNT = "ecs:service:DesiredCount";

export const SuspendedState = z.object({
  DynamicScalingInSuspended: z.boolean().optional(),
  DynamicScalingOutSuspended: z.boolean().optional(),
  ScheduledScalingSuspended: z.boolean().optional(),
});
export type SuspendedState = z.infer<typeof SuspendedState>;

export const AdjustmentType = z.enum([
  "ChangeInCapacity",
  "PercentChangeInCapacity",
  "ExactCapacity",
]);
export type AdjustmentType = z.infer<typeof AdjustmentType>;

/** Bounds are relative to the alarm's threshold (metric − threshold). */
export const StepAdjustment = z.object({
  MetricIntervalLowerBound: z.number().optional(),
  MetricIntervalUpperBound: z.number().optional(),
  ScalingAdjustment: z.number().int(),
});
export type StepAdjustment = z.infer<typeof StepAdjustment>;

export const StepScalingPolicyConfiguration = z.object({
  AdjustmentType: AdjustmentType.optional(),
  StepAdjustments: z.array(StepAdjustment).optional(),
  MinAdjustmentMagnitude: z.number().int().optional(),
  /** Seconds; 300 when not given for ECS. */
  Cooldown: z.number().int().min(0).optional(),
  MetricAggregationType: z.enum(["Average", "Minimum", "Maximum"]).optional(),
});
export type StepScalingPolicyConfiguration = z.infer<typeof StepScalingPolicyConfiguration>;

export const PredefinedMetricType = z.enum([
  "ECSServiceAverageCPUUtilization",
  "ECSServiceAverageMemoryUtilization",
]);
export type PredefinedMetricType = z.infer<typeof PredefinedMetricType>;

export const PredefinedMetricSpecification = z.object({
  PredefinedMetricType: z.string(),
  ResourceLabel: z.string().optional(),
});

export const MetricDimension = z.object({ Name: z.string(), Value: z.string() });

export const CustomizedMetricSpecification = z.object({
  MetricName: z.string().min(1),
  Namespace: z.string().min(1),
  Dimensions: z.array(MetricDimension).optional(),
  Statistic: z.enum(["Average", "Minimum", "Maximum", "SampleCount", "Sum"]),
  Unit: z.string().optional(),
});
export type CustomizedMetricSpecification = z.infer<typeof CustomizedMetricSpecification>;

export const TargetTrackingScalingPolicyConfiguration = z.object({
  TargetValue: z.number(),
  PredefinedMetricSpecification: PredefinedMetricSpecification.optional(),
  CustomizedMetricSpecification: CustomizedMetricSpecification.optional(),
  /** Seconds; 300 when not given for ECS. */
  ScaleOutCooldown: z.number().int().min(0).optional(),
  ScaleInCooldown: z.number().int().min(0).optional(),
  DisableScaleIn: z.boolean().optional(),
});
export type TargetTrackingScalingPolicyConfiguration = z.infer<
  typeof TargetTrackingScalingPolicyConfiguration
>;

export const PolicyType = z.enum(["TargetTrackingScaling", "StepScaling"]);
export type PolicyType = z.infer<typeof PolicyType>;

/** An alarm a policy is attached to (target tracking: the ones it owns). */
export const PolicyAlarm = z.object({ AlarmName: z.string(), AlarmARN: z.string() });
export type PolicyAlarm = z.infer<typeof PolicyAlarm>;

/** AWS's default cooldown for ECS services, seconds. */
export const DEFAULT_ECS_COOLDOWN_SECONDS = 300;
