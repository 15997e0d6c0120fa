import type { AlarmConfiguration } from "../../../shared/events/index.js";

/** A 3-of-3 alarm on AWS/ECS CPUUtilization > 50, 60 s periods. */
export const alarmConfig = (over: Partial<AlarmConfiguration> = {}): AlarmConfiguration => ({
  AlarmName: "cpu-high",
  ActionsEnabled: true,
  OKActions: [],
  AlarmActions: [],
  InsufficientDataActions: [],
  MetricName: "CPUUtilization",
  Namespace: "AWS/ECS",
  Statistic: "Average",
  Dimensions: [
    { Name: "ClusterName", Value: "demo" },
    { Name: "ServiceName", Value: "web" },
  ],
  Period: 60,
  EvaluationPeriods: 3,
  DatapointsToAlarm: 3,
  Threshold: 50,
  ComparisonOperator: "GreaterThanThreshold",
  TreatMissingData: "missing",
  ...over,
});

export const SCALE_OUT_POLICY =
  "arn:aws:autoscaling:us-east-1:123456789012:scalingPolicy:00000000-0000-4000-8000-000000000001:resource/ecs/service/demo/web:policyName/out";
export const SCALE_IN_POLICY =
  "arn:aws:autoscaling:us-east-1:123456789012:scalingPolicy:00000000-0000-4000-8000-000000000002:resource/ecs/service/demo/web:policyName/in";
export const SNS_TOPIC = "arn:aws:sns:us-east-1:123456789012:ops";
