import { EcsError } from "../domain/errors.js";
import type { MetricDatum } from "./metricDatum.js";
import { alignDown } from "./tiers.js";

/** CloudWatch's documented limits for the metric API. */
export const METRIC_LIMITS = {
  metricDataPerRequest: 1000,
  dimensionsPerMetric: 30,
  valuesPerDatum: 150,
  /** Values must lie in [-2^360, 2^360]. */
  maxMagnitude: 2 ** 360,
  maxTimestampAgeSeconds: 14 * 86_400,
  maxTimestampAheadSeconds: 2 * 3600,
  datapointsPerGetMetricStatistics: 1440,
  statisticsPerRequest: 5,
  extendedStatisticsPerRequest: 10,
  metricDataQueriesPerRequest: 500,
  defaultMaxDatapoints: 100_800,
  listMetricsPageSize: 500,
} as const;

/** Periods under a minute that high-resolution data can be read at; longer ones are minutes. */
export const SUB_MINUTE_PERIODS: readonly number[] = [1, 5, 10, 20, 30];

export const invalidValue = (message: string): EcsError =>
  new EcsError("InvalidParameterValue", message);

export const invalidCombination = (message: string): EcsError =>
  new EcsError("InvalidParameterCombination", message);

export const missingParameter = (field: string): EcsError =>
  new EcsError("MissingParameter", `The parameter ${field} is required.`);

/** A period CloudWatch accepts: 1, 5, 10, 20, 30 or a multiple of 60 seconds. */
export const isValidPeriod = (period: number): boolean =>
  Number.isInteger(period) &&
  period > 0 &&
  (SUB_MINUTE_PERIODS.includes(period) || period % 60 === 0);

export const validatePeriod = (period: number, field = "Period"): void => {
  if (!isValidPeriod(period)) {
    throw invalidValue(
      `The parameter ${field} must be 1, 5, 10, 20, 30 or a multiple of 60 seconds; got ${period}.`,
    );
  }
};

/** How many periods [start, end) spans once start is aligned down to the period. */
export const periodCount = (start: Date, end: Date, period: number): number => {
  const from = alignDown(start, period).getTime();
  return Math.max(0, Math.ceil((end.getTime() - from) / (period * 1000)));
};

export const validateTimeRange = (start: Date, end: Date): void => {
  if (!(start.getTime() < end.getTime())) {
    throw invalidValue("The parameter StartTime must be less than the parameter EndTime.");
  }
};

/** GetMetricStatistics answers at most 1,440 datapoints. */
export const validateDatapointCount = (start: Date, end: Date, period: number): void => {
  const n = periodCount(start, end, period);
  if (n > METRIC_LIMITS.datapointsPerGetMetricStatistics) {
    throw invalidCombination(
      `You have requested up to ${n} datapoints, which exceeds the limit of ${METRIC_LIMITS.datapointsPerGetMetricStatistics}. ` +
        "You may reduce the datapoints requested by increasing Period, or decreasing the time range.",
    );
  }
};

const checkValue = (v: number, field: string): void => {
  if (!Number.isFinite(v)) {
    throw invalidValue(`The parameter ${field} must be a finite number (no NaN or Infinity).`);
  }
  if (Math.abs(v) > METRIC_LIMITS.maxMagnitude) {
    throw invalidValue(`The parameter ${field} must be in the range -2^360 to 2^360.`);
  }
};

/** A namespace a client may write to: 1–255 characters, not AWS's own `AWS/`. */
export const validateNamespace = (namespace: string): void => {
  if (namespace.length < 1 || namespace.length > 255) {
    throw invalidValue("The parameter Namespace must be 1 to 255 characters long.");
  }
  if (namespace.startsWith("AWS/")) {
    throw invalidValue(
      `The value ${namespace} for parameter Namespace is invalid: AWS/ is reserved.`,
    );
  }
};

/**
 * PutMetricData's datum rules. Errors name the field as the query protocol
 * does (`MetricData.member.3.Value`); `now` is the time the data arrived.
 */
export const validateMetricData = (datums: readonly MetricDatum[], now: Date): void => {
  if (datums.length < 1)
    throw new EcsError("MissingParameter", "The parameter MetricData is required.");
  if (datums.length > METRIC_LIMITS.metricDataPerRequest) {
    throw invalidValue(
      `The collection MetricData must not have more than ${METRIC_LIMITS.metricDataPerRequest} members; got ${datums.length}.`,
    );
  }
  datums.forEach((d, i) => {
    const at = `MetricData.member.${i + 1}`;
    if (d.metricName.length < 1 || d.metricName.length > 255) {
      throw invalidValue(`The parameter ${at}.MetricName must be 1 to 255 characters long.`);
    }
    if (d.dimensions.length > METRIC_LIMITS.dimensionsPerMetric) {
      throw invalidValue(
        `The collection ${at}.Dimensions must not have more than ${METRIC_LIMITS.dimensionsPerMetric} members.`,
      );
    }
    const names = new Set<string>();
    d.dimensions.forEach((dim, j) => {
      if (names.has(dim.name)) {
        throw invalidValue(
          `The parameter ${at}.Dimensions.member.${j + 1}.Name repeats the dimension '${dim.name}'.`,
        );
      }
      names.add(dim.name);
    });
    const given = [
      d.value !== undefined && "Value",
      d.values !== undefined && "Values",
      d.statisticValues !== undefined && "StatisticValues",
    ].filter((f): f is string => f !== false);
    if (given.length !== 1) {
      throw invalidCombination(
        given.length === 0
          ? `The parameters ${at}.Value, ${at}.Values and ${at}.StatisticValues: exactly one is required.`
          : `The parameters ${given.map((f) => `${at}.${f}`).join(" and ")} are mutually exclusive.`,
      );
    }
    if (d.value !== undefined) checkValue(d.value, `${at}.Value`);
    if (d.values !== undefined) {
      if (d.values.length > METRIC_LIMITS.valuesPerDatum) {
        throw invalidValue(
          `The collection ${at}.Values must not have more than ${METRIC_LIMITS.valuesPerDatum} members.`,
        );
      }
      d.values.forEach((v, j) => checkValue(v, `${at}.Values.member.${j + 1}`));
    }
    if (d.counts !== undefined) {
      if (d.values === undefined || d.counts.length !== d.values.length) {
        throw invalidCombination(
          `The parameter ${at}.Counts must have as many members as ${at}.Values.`,
        );
      }
      d.counts.forEach((c, j) => {
        checkValue(c, `${at}.Counts.member.${j + 1}`);
        if (c < 0)
          throw invalidValue(`The parameter ${at}.Counts.member.${j + 1} must not be negative.`);
      });
    }
    if (d.statisticValues !== undefined) {
      const s = d.statisticValues;
      const sv = `${at}.StatisticValues`;
      checkValue(s.sampleCount, `${sv}.SampleCount`);
      checkValue(s.sum, `${sv}.Sum`);
      checkValue(s.minimum, `${sv}.Minimum`);
      checkValue(s.maximum, `${sv}.Maximum`);
      if (!(s.sampleCount > 0))
        throw invalidValue(`The parameter ${sv}.SampleCount must be greater than 0.`);
      if (s.minimum > s.maximum) {
        throw invalidCombination(
          `The parameter ${sv}.Minimum must not be greater than ${sv}.Maximum.`,
        );
      }
    }
    const age = (now.getTime() - d.timestamp.getTime()) / 1000;
    if (
      age > METRIC_LIMITS.maxTimestampAgeSeconds ||
      -age > METRIC_LIMITS.maxTimestampAheadSeconds
    ) {
      throw invalidValue(
        `The parameter ${at}.Timestamp must specify a time no more than two weeks in the past and no more than two hours in the future.`,
      );
    }
  });
};
