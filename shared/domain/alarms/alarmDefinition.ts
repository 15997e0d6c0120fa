import { z } from "zod";

/**
 * A metric alarm's configuration, in CloudWatch PutMetricAlarm's field names
 * (the autoscaler's PutMetricAlarm command takes it as is; target tracking
 * policies send it for the alarms they own).
 */
export const ComparisonOperator = z.enum([
  "GreaterThanOrEqualToThreshold",
  "GreaterThanThreshold",
  "LessThanThreshold",
  "LessThanOrEqualToThreshold",
  "LessThanLowerOrGreaterThanUpperThreshold",
  "LessThanLowerThreshold",
  "GreaterThanUpperThreshold",
]);
export type ComparisonOperator = z.infer<typeof ComparisonOperator>;

export const TreatMissingData = z.enum(["breaching", "notBreaching", "ignore", "missing"]);
export type TreatMissingData = z.infer<typeof TreatMissingData>;

export const AlarmState = z.enum(["OK", "ALARM", "INSUFFICIENT_DATA"]);
export type AlarmState = z.infer<typeof AlarmState>;

export const AlarmDimension = z.object({ Name: z.string(), Value: z.string() });

export const AlarmDefinition = z.object({
  AlarmName: z.string().min(1).max(255),
  AlarmDescription: z.string().max(1024).optional(),
  ActionsEnabled: z.boolean().optional(),
  OKActions: z.array(z.string().max(1024)).max(5).optional(),
  AlarmActions: z.array(z.string().max(1024)).max(5).optional(),
  InsufficientDataActions: z.array(z.string().max(1024)).max(5).optional(),
  MetricName: z.string().min(1).max(255),
  Namespace: z.string().min(1).max(255),
  Statistic: z.enum(["SampleCount", "Average", "Sum", "Minimum", "Maximum"]).optional(),
  ExtendedStatistic: z.string().optional(),
  Dimensions: z.array(AlarmDimension).max(30).optional(),
  Period: z.number().int().min(1),
  Unit: z.string().optional(),
  EvaluationPeriods: z.number().int().min(1),
  DatapointsToAlarm: z.number().int().min(1).optional(),
  Threshold: z.number(),
  ComparisonOperator,
  TreatMissingData: TreatMissingData.optional(),
  EvaluateLowSampleCountPercentile: z.enum(["evaluate", "ignore"]).optional(),
  Tags: z.array(z.object({ Key: z.string(), Value: z.string() })).optional(),
});
export type AlarmDefinition = z.infer<typeof AlarmDefinition>;
