import {
  PolicyType,
  PredefinedMetricType,
  type StepAdjustment,
  type StepScalingPolicyConfiguration,
  type TargetTrackingScalingPolicyConfiguration,
} from "../../../shared/domain/scaling/scalingPolicyConfiguration.js";
import { validationError } from "../../../shared/domain/scaling/targetKey.js";

const lower = (s: StepAdjustment) => s.MetricIntervalLowerBound ?? -Infinity;
const upper = (s: StepAdjustment) => s.MetricIntervalUpperBound ?? Infinity;

/** AWS's rules for step adjustments: no gap, no overlap, one open end each way at most. */
export const validateStepScaling = (config: StepScalingPolicyConfiguration | undefined): void => {
  if (!config) {
    throw validationError(
      "StepScalingPolicyConfiguration is required for a policy of type StepScaling.",
    );
  }
  if (config.AdjustmentType === undefined) {
    throw validationError("StepScalingPolicyConfiguration.AdjustmentType is required.");
  }
  const steps = config.StepAdjustments ?? [];
  if (steps.length === 0) {
    throw validationError(
      "StepScalingPolicyConfiguration.StepAdjustments: at least one step is required.",
    );
  }
  for (const s of steps) {
    if (s.MetricIntervalLowerBound === undefined && s.MetricIntervalUpperBound === undefined) {
      throw validationError(
        "StepAdjustments: a step adjustment cannot have both its lower and upper bound null.",
      );
    }
    if (lower(s) >= upper(s)) {
      throw validationError(
        "StepAdjustments: a step's MetricIntervalLowerBound must be less than its MetricIntervalUpperBound.",
      );
    }
    if (config.AdjustmentType === "ExactCapacity" && s.ScalingAdjustment < 0) {
      throw validationError(
        "StepAdjustments: ScalingAdjustment must be non-negative for ExactCapacity.",
      );
    }
  }
  const sorted = [...steps].sort((a, b) => lower(a) - lower(b));
  for (let i = 1; i < sorted.length; i++) {
    if (upper(sorted[i - 1]!) !== lower(sorted[i]!)) {
      throw validationError("StepAdjustments: the step intervals may not overlap or leave a gap.");
    }
  }
  if (sorted.some((s) => lower(s) < 0) && lower(sorted[0]!) !== -Infinity) {
    throw validationError(
      "StepAdjustments: with a negative lower bound, one step must have a null lower bound.",
    );
  }
  if (sorted.some((s) => upper(s) > 0) && upper(sorted.at(-1)!) !== Infinity) {
    throw validationError(
      "StepAdjustments: with a positive upper bound, one step must have a null upper bound.",
    );
  }
  if (
    config.MinAdjustmentMagnitude !== undefined &&
    config.AdjustmentType !== "PercentChangeInCapacity"
  ) {
    throw validationError(
      "MinAdjustmentMagnitude: only valid with AdjustmentType PercentChangeInCapacity.",
    );
  }
  if (config.MinAdjustmentMagnitude !== undefined && config.MinAdjustmentMagnitude < 1) {
    throw validationError("MinAdjustmentMagnitude: must be at least 1.");
  }
};

export const validateTargetTracking = (
  config: TargetTrackingScalingPolicyConfiguration | undefined,
): void => {
  if (!config) {
    throw validationError(
      "TargetTrackingScalingPolicyConfiguration is required for a policy of type TargetTrackingScaling.",
    );
  }
  if (!(config.TargetValue > 0)) {
    throw validationError(
      "TargetTrackingScalingPolicyConfiguration.TargetValue: must be greater than 0.",
    );
  }
  const predefined = config.PredefinedMetricSpecification;
  const customized = config.CustomizedMetricSpecification;
  if ((predefined === undefined) === (customized === undefined)) {
    throw validationError(
      "TargetTrackingScalingPolicyConfiguration: give exactly one of PredefinedMetricSpecification and CustomizedMetricSpecification.",
    );
  }
  if (predefined && !PredefinedMetricType.safeParse(predefined.PredefinedMetricType).success) {
    throw validationError(
      `PredefinedMetricSpecification.PredefinedMetricType: '${predefined.PredefinedMetricType}' is not supported for ECS services; use ECSServiceAverageCPUUtilization or ECSServiceAverageMemoryUtilization.`,
    );
  }
};

/** The policy type (StepScaling when not given, as AWS) and its configuration checked. */
export const validatePolicy = (cmd: {
  readonly PolicyName: string;
  readonly PolicyType?: string | undefined;
  readonly StepScalingPolicyConfiguration?: StepScalingPolicyConfiguration | undefined;
  readonly TargetTrackingScalingPolicyConfiguration?:
    TargetTrackingScalingPolicyConfiguration | undefined;
}): PolicyType => {
  if (cmd.PolicyName.length === 0 || cmd.PolicyName.length > 256 || cmd.PolicyName.includes(":")) {
    throw validationError("PolicyName: must be 1 to 256 characters without ':'.");
  }
  const type = PolicyType.safeParse(cmd.PolicyType ?? "StepScaling");
  if (!type.success) {
    throw validationError(
      `PolicyType: '${cmd.PolicyType}' is not supported for ECS services; use TargetTrackingScaling or StepScaling.`,
    );
  }
  if (type.data === "StepScaling") {
    if (cmd.TargetTrackingScalingPolicyConfiguration) {
      throw validationError(
        "TargetTrackingScalingPolicyConfiguration: not valid for a policy of type StepScaling.",
      );
    }
    validateStepScaling(cmd.StepScalingPolicyConfiguration);
  } else {
    if (cmd.StepScalingPolicyConfiguration) {
      throw validationError(
        "StepScalingPolicyConfiguration: not valid for a policy of type TargetTrackingScaling.",
      );
    }
    validateTargetTracking(cmd.TargetTrackingScalingPolicyConfiguration);
  }
  return type.data;
};
