import type { AlarmDefinition } from "../../../shared/domain/alarms/alarmDefinition.js";
import { EcsError } from "../../../shared/domain/errors.js";
import type { AlarmConfiguration } from "../../../shared/events/index.js";

const invalid = (message: string) => new EcsError("InvalidParameterValue", message);
const combination = (message: string) => new EcsError("InvalidParameterCombination", message);

/** `p0`–`p100` with up to two decimals, CloudWatch's percentile syntax. */
export const PERCENTILE = /^p(\d{1,2}(\.\d{1,2})?|100(\.0{1,2})?)$/;

const ONE_DAY = 86_400;
const SEVEN_DAYS = 7 * ONE_DAY;

/** The comparison operators that need an anomaly detection band (ThresholdMetricId). */
const BAND_OPERATORS = new Set([
  "LessThanLowerOrGreaterThanUpperThreshold",
  "LessThanLowerThreshold",
  "GreaterThanUpperThreshold",
]);

const ARN = /^arn:[a-z-]+:[a-z0-9-]+:[a-z0-9-]*:\d{0,12}:.+$/;

/**
 * PutMetricAlarm's rules as CloudWatch checks them, each error naming the
 * field; returns the configuration with CloudWatch's defaults applied.
 */
export const validateAlarm = (input: AlarmDefinition): AlarmConfiguration => {
  if (input.Statistic === undefined && input.ExtendedStatistic === undefined) {
    throw new EcsError(
      "MissingParameter",
      "Either the parameter Statistic or ExtendedStatistic must be specified.",
    );
  }
  if (input.Statistic !== undefined && input.ExtendedStatistic !== undefined) {
    throw combination("Exactly one of the parameters Statistic and ExtendedStatistic may be set.");
  }
  if (input.ExtendedStatistic !== undefined && !PERCENTILE.test(input.ExtendedStatistic)) {
    throw invalid(
      `The value ${input.ExtendedStatistic} for parameter ExtendedStatistic is not supported; use a percentile p0.0–p100.`,
    );
  }
  if (
    input.EvaluateLowSampleCountPercentile !== undefined &&
    input.ExtendedStatistic === undefined
  ) {
    throw combination(
      "The parameter EvaluateLowSampleCountPercentile can only be used with ExtendedStatistic (a percentile).",
    );
  }
  const period = input.Period;
  if (!(period === 10 || period === 30 || (period > 0 && period % 60 === 0))) {
    throw invalid(`The parameter Period must be 10, 30 or a multiple of 60; got ${period}.`);
  }
  if (input.EvaluationPeriods < 1) {
    throw invalid("The parameter EvaluationPeriods must be at least 1.");
  }
  const limit = period >= 3600 ? SEVEN_DAYS : ONE_DAY;
  if (period * input.EvaluationPeriods > limit) {
    throw invalid(
      `Metrics cannot be checked across more than ${limit === ONE_DAY ? "a day" : "7 days"} (EvaluationPeriods * Period must be <= ${limit}).`,
    );
  }
  const datapointsToAlarm = input.DatapointsToAlarm ?? input.EvaluationPeriods;
  if (datapointsToAlarm > input.EvaluationPeriods) {
    throw invalid(
      `The parameter DatapointsToAlarm (${datapointsToAlarm}) must be less than or equal to EvaluationPeriods (${input.EvaluationPeriods}).`,
    );
  }
  if (BAND_OPERATORS.has(input.ComparisonOperator)) {
    throw invalid(
      `The parameter ComparisonOperator ${input.ComparisonOperator} needs an anomaly detection band (ThresholdMetricId), which Flotilla does not support; use a static threshold.`,
    );
  }
  if (!Number.isFinite(input.Threshold)) {
    throw invalid("The parameter Threshold must be a finite number.");
  }
  for (const field of ["OKActions", "AlarmActions", "InsufficientDataActions"] as const) {
    for (const action of input[field] ?? []) {
      if (!ARN.test(action)) throw invalid(`Invalid arn syntax in ${field}: ${action}`);
    }
  }
  const names = new Set<string>();
  for (const d of input.Dimensions ?? []) {
    if (names.has(d.Name)) {
      throw invalid(`The parameter Dimensions has the dimension name ${d.Name} more than once.`);
    }
    names.add(d.Name);
  }
  const { Tags: _tags, ...rest } = input;
  return {
    ...rest,
    ActionsEnabled: input.ActionsEnabled ?? true,
    OKActions: [...new Set(input.OKActions ?? [])],
    AlarmActions: [...new Set(input.AlarmActions ?? [])],
    InsufficientDataActions: [...new Set(input.InsufficientDataActions ?? [])],
    Dimensions: input.Dimensions ?? [],
    DatapointsToAlarm: datapointsToAlarm,
    TreatMissingData: input.TreatMissingData ?? "missing",
  };
};
