import { z } from "zod";
import { AlarmDefinition } from "../../../shared/domain/alarms/alarmDefinition.js";
import {
  ECS_DESIRED_COUNT,
  ECS_SERVICE_NAMESPACE,
  PolicyType,
  StepScalingPolicyConfiguration,
  SuspendedState,
  TargetTrackingScalingPolicyConfiguration,
} from "../../../shared/domain/scaling/scalingPolicyConfiguration.js";

/**
 * The simulator's input: the AWS API's own JSON shapes (RegisterScalableTarget,
 * PutScalingPolicy, PutMetricAlarm, PutMetricData) plus the simulated service and
 * a compact per-metric series. docs/autoscaling.md documents it; docs/examples/
 * holds one target tracking and one step scaling input.
 */

/** ISO 8601 text, or epoch seconds as the AWS JSON protocols send timestamps. */
export const SimTime = z.union([
  z.iso.datetime({ offset: true }).transform((s) => new Date(s)),
  z.number().transform((s) => new Date(Math.round(s * 1000))),
]);

/** RegisterScalableTarget's request; min and max are required here (there is no prior target). */
export const SimScalableTarget = z.object({
  ServiceNamespace: z.literal(ECS_SERVICE_NAMESPACE).default(ECS_SERVICE_NAMESPACE),
  ResourceId: z.string().regex(/^service\/[A-Za-z0-9_-]+\/[A-Za-z0-9_-]+$/, {
    message: "ResourceId: an ECS service is 'service/<cluster-name>/<service-name>'",
  }),
  ScalableDimension: z.literal(ECS_DESIRED_COUNT).default(ECS_DESIRED_COUNT),
  MinCapacity: z.number().int().min(0),
  MaxCapacity: z.number().int().min(0),
  SuspendedState: SuspendedState.optional(),
});
export type SimScalableTarget = z.infer<typeof SimScalableTarget>;

/** PutScalingPolicy's request (the target key may be left out: it is the scalable target's). */
export const SimScalingPolicy = z.object({
  PolicyName: z.string().min(1).max(256),
  PolicyType: PolicyType.default("StepScaling"),
  ServiceNamespace: z.string().optional(),
  ResourceId: z.string().optional(),
  ScalableDimension: z.string().optional(),
  StepScalingPolicyConfiguration: StepScalingPolicyConfiguration.optional(),
  TargetTrackingScalingPolicyConfiguration: TargetTrackingScalingPolicyConfiguration.optional(),
});
export type SimScalingPolicy = z.infer<typeof SimScalingPolicy>;

/** PutMetricData's MetricDatum, in the API's field names. */
export const SimMetricDatum = z.object({
  MetricName: z.string().min(1),
  Dimensions: z.array(z.object({ Name: z.string(), Value: z.string() })).default([]),
  Timestamp: SimTime,
  Value: z.number().optional(),
  Values: z.array(z.number()).optional(),
  Counts: z.array(z.number()).optional(),
  StatisticValues: z
    .object({ SampleCount: z.number(), Sum: z.number(), Minimum: z.number(), Maximum: z.number() })
    .optional(),
  Unit: z.string().optional(),
  StorageResolution: z.union([z.literal(1), z.literal(60)]).optional(),
});
export type SimMetricDatum = z.infer<typeof SimMetricDatum>;

/** PutMetricData's request. */
export const SimPutMetricData = z.object({
  Namespace: z.string().min(1),
  MetricData: z.array(SimMetricDatum),
});

/**
 * A per-metric series (Flotilla's shorthand): `Values[i]` is the datapoint at
 * `StartTime + i × IntervalSeconds`; `null` leaves a gap (missing data). With
 * `PerRunningTask`, a value is the load in task-equivalents × 100 and the
 * datapoint written is value ÷ the simulated running count — so utilisation
 * drops as the simulated service scales out, as it would for real.
 */
export const SimMetricSeries = z.object({
  Namespace: z.string().min(1),
  MetricName: z.string().min(1),
  Dimensions: z.array(z.object({ Name: z.string(), Value: z.string() })).default([]),
  Unit: z.string().optional(),
  StorageResolution: z.union([z.literal(1), z.literal(60)]).optional(),
  StartTime: SimTime,
  IntervalSeconds: z.number().int().min(1),
  Values: z.array(z.number().nullable()).min(1),
  PerRunningTask: z.boolean().default(false),
});
export type SimMetricSeries = z.infer<typeof SimMetricSeries>;

/** The simulated ECS service: where desired and running start, and how fast tasks start. */
export const SimService = z.object({
  DesiredCount: z.number().int().min(0),
  /** Default: the desired count. */
  RunningCount: z.number().int().min(0).optional(),
  /** A new task runs this many seconds after the desired count rose (default 60). */
  TaskStartDelaySeconds: z.number().min(0).default(60),
  /** A task stops this many seconds after the desired count fell (default 0). */
  TaskStopDelaySeconds: z.number().min(0).default(0),
});
export type SimService = z.infer<typeof SimService>;

export const SimulationInput = z.object({
  ScalableTarget: SimScalableTarget,
  ScalingPolicies: z.array(SimScalingPolicy).min(1),
  /** PutMetricAlarm requests (step scaling); AlarmActions name a policy by ARN or PolicyName. */
  MetricAlarms: z.array(AlarmDefinition).default([]),
  Service: SimService,
  PutMetricData: z.array(SimPutMetricData).default([]),
  MetricSeries: z.array(SimMetricSeries).default([]),
  /** Default: the first datapoint's time. */
  StartTime: SimTime.optional(),
  /** Default: the last datapoint's time plus the longest alarm's evaluation range. */
  EndTime: SimTime.optional(),
  /**
   * The shape of the alarms target tracking policies create (Flotilla's extension, as the
   * autoscaler's TARGET_TRACKING_* settings; default AWS's: 60 s, 3 of 3 high, 15 of 15 low).
   */
  TargetTrackingAlarms: z
    .object({
      PeriodSeconds: z.number().int().min(1).optional(),
      ScaleOutPeriods: z.number().int().min(1).optional(),
      ScaleInPeriods: z.number().int().min(1).optional(),
    })
    .optional(),
  /** How often alarms are evaluated (default 60 s; 10 s when an alarm's period is below 60). */
  EvaluationIntervalSeconds: z.number().int().min(1).optional(),
});
export type SimulationInput = z.infer<typeof SimulationInput>;
export type SimulationInputJson = z.input<typeof SimulationInput>;
