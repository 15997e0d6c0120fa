import type { AlarmDefinition } from "../../../shared/domain/alarms/alarmDefinition.js";
import { targetTrackingAlarmName } from "../../../shared/domain/scaling/scalableTargetRef.js";
import type { TargetTrackingScalingPolicyConfiguration } from "../../../shared/domain/scaling/scalingPolicyConfiguration.js";
import type { ScalingSettings } from "./scalingSettings.js";

type OwnedAlarm = AlarmDefinition & { ManagedBy: string };

const PREDEFINED_METRICS: Readonly<Record<string, string>> = {
  ECSServiceAverageCPUUtilization: "CPUUtilization",
  ECSServiceAverageMemoryUtilization: "MemoryUtilization",
};

/** The metric a target tracking policy tracks, in PutMetricAlarm's fields. */
export const trackedMetric = (
  config: TargetTrackingScalingPolicyConfiguration,
  clusterName: string,
  serviceName: string,
): Pick<AlarmDefinition, "Namespace" | "MetricName" | "Dimensions" | "Statistic" | "Unit"> => {
  const custom = config.CustomizedMetricSpecification;
  if (custom) {
    return {
      Namespace: custom.Namespace,
      MetricName: custom.MetricName,
      Dimensions: custom.Dimensions ?? [],
      Statistic: custom.Statistic,
      ...(custom.Unit === undefined ? {} : { Unit: custom.Unit }),
    };
  }
  const type = config.PredefinedMetricSpecification?.PredefinedMetricType ?? "";
  return {
    Namespace: "AWS/ECS",
    MetricName: PREDEFINED_METRICS[type] ?? "CPUUtilization",
    Dimensions: [
      { Name: "ClusterName", Value: clusterName },
      { Name: "ServiceName", Value: serviceName },
    ],
    Statistic: "Average",
  };
};

/**
 * The alarms a target tracking policy owns, named as AWS names them: high
 * (metric above the target for N of N periods) and, unless scale-in is
 * disabled, low (below 90 % of the target for M of M periods).
 */
export const targetTrackingAlarms = (input: {
  readonly policyArn: string;
  readonly alarmUuid: string;
  readonly resourceId: string;
  readonly clusterName: string;
  readonly serviceName: string;
  readonly config: TargetTrackingScalingPolicyConfiguration;
  readonly settings: ScalingSettings;
}): { high: OwnedAlarm; low?: OwnedAlarm } => {
  const { policyArn, config, settings } = input;
  const common = {
    ...trackedMetric(config, input.clusterName, input.serviceName),
    AlarmDescription: `DO NOT EDIT OR DELETE. For TargetTrackingScaling policy ${policyArn}.`,
    ActionsEnabled: true,
    AlarmActions: [policyArn],
    Period: settings.targetTrackingPeriodSeconds,
    ManagedBy: policyArn,
  };
  const high: OwnedAlarm = {
    ...common,
    AlarmName: targetTrackingAlarmName(input.resourceId, "AlarmHigh", input.alarmUuid),
    EvaluationPeriods: settings.scaleOutPeriods,
    DatapointsToAlarm: settings.scaleOutPeriods,
    Threshold: config.TargetValue,
    ComparisonOperator: "GreaterThanThreshold",
  };
  if (config.DisableScaleIn) return { high };
  const low: OwnedAlarm = {
    ...common,
    AlarmName: targetTrackingAlarmName(input.resourceId, "AlarmLow", input.alarmUuid),
    EvaluationPeriods: settings.scaleInPeriods,
    DatapointsToAlarm: settings.scaleInPeriods,
    Threshold: Math.round(config.TargetValue * 0.9 * 1e9) / 1e9,
    ComparisonOperator: "LessThanThreshold",
  };
  return { high, low };
};
