import { mergeDistributions, percentileOf, type Distribution } from "./distribution.js";
import type { MetricDatum } from "./metricDatum.js";

/** CloudWatch's five statistics. */
export const STATISTICS = ["SampleCount", "Average", "Sum", "Minimum", "Maximum"] as const;
export type StatisticName = (typeof STATISTICS)[number];

/** The samples of a period (or of one stored row): what every statistic is computed from. */
export interface Aggregate {
  readonly sampleCount: number;
  readonly sum: number;
  readonly minimum: number;
  readonly maximum: number;
  /** The samples' values; absent when any came as a statistic set (no percentiles then). */
  readonly distribution?: Distribution | undefined;
}

export const isStatistic = (s: string): s is StatisticName =>
  (STATISTICS as readonly string[]).includes(s);

const PERCENTILE = /^p(\d{1,2}(\.\d{1,2})?|100(\.0{1,2})?)$/;

/** `p90`, `p99.9`, `p99.99` → 90, 99.9, 99.99; anything else → undefined. */
export const percentileRank = (s: string): number | undefined =>
  PERCENTILE.test(s) ? Number(s.slice(1)) : undefined;

export const isExtendedStatistic = (s: string): boolean => percentileRank(s) !== undefined;

/**
 * A datum's samples. A statistic set keeps a distribution only when it says
 * what its values were: one sample, or all samples equal (min = max and
 * sum = min × count), as CloudWatch allows percentiles for.
 */
export const aggregateOfDatum = (datum: MetricDatum): Aggregate => {
  if (datum.statisticValues) {
    const s = datum.statisticValues;
    const uniform = s.minimum === s.maximum && s.sum === s.minimum * s.sampleCount;
    return {
      sampleCount: s.sampleCount,
      sum: s.sum,
      minimum: s.minimum,
      maximum: s.maximum,
      distribution: uniform ? { values: [s.minimum], counts: [s.sampleCount] } : undefined,
    };
  }
  const values = datum.values ?? (datum.value === undefined ? [] : [datum.value]);
  const counts = values.map((_, i) => datum.counts?.[i] ?? 1);
  let sampleCount = 0;
  let sum = 0;
  let minimum = Infinity;
  let maximum = -Infinity;
  values.forEach((v, i) => {
    const c = counts[i]!;
    sampleCount += c;
    sum += v * c;
    if (v < minimum) minimum = v;
    if (v > maximum) maximum = v;
  });
  return {
    sampleCount,
    sum,
    minimum,
    maximum,
    distribution: mergeDistributions([{ values, counts }]),
  };
};

/** The samples of several aggregates together (a period's rows, a roll-up). */
export const combineAggregates = (parts: readonly Aggregate[]): Aggregate => {
  let sampleCount = 0;
  let sum = 0;
  let minimum = Infinity;
  let maximum = -Infinity;
  let complete = true;
  for (const p of parts) {
    sampleCount += p.sampleCount;
    sum += p.sum;
    if (p.minimum < minimum) minimum = p.minimum;
    if (p.maximum > maximum) maximum = p.maximum;
    if (!p.distribution) complete = false;
  }
  return {
    sampleCount,
    sum,
    minimum,
    maximum,
    distribution: complete ? mergeDistributions(parts.map((p) => p.distribution!)) : undefined,
  };
};

/**
 * One statistic (`Average`, …) or extended statistic (`p90`) of an aggregate;
 * undefined when the aggregate has no samples or a percentile has no values.
 */
export const statisticOf = (agg: Aggregate, stat: string): number | undefined => {
  if (!(agg.sampleCount > 0)) return undefined;
  switch (stat) {
    case "SampleCount":
      return agg.sampleCount;
    case "Sum":
      return agg.sum;
    case "Average":
      return agg.sum / agg.sampleCount;
    case "Minimum":
      return agg.minimum;
    case "Maximum":
      return agg.maximum;
  }
  const p = percentileRank(stat);
  if (p === undefined || !agg.distribution) return undefined;
  if (p === 0) return agg.minimum;
  if (p === 100) return agg.maximum;
  const v = percentileOf(agg.distribution, p);
  // A compressed distribution's bucket means stay inside the true range.
  return v === undefined ? undefined : Math.min(agg.maximum, Math.max(agg.minimum, v));
};
