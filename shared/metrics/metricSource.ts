/**
 * The contract between the metric store and its readers (alarm evaluation,
 * target tracking, the simulator): one value per period, for one metric and
 * one statistic. The Postgres store and the in-memory store both implement it.
 */

export interface Dimension {
  readonly name: string;
  readonly value: string;
}

/** A metric is its namespace, name and exact dimension set (order does not matter). */
export interface MetricId {
  readonly namespace: string;
  readonly metricName: string;
  readonly dimensions: readonly Dimension[];
}

/** CloudWatch's statistics; an extended statistic is `pNN` or `pNN.NN` (percentiles). */
export type Statistic = "SampleCount" | "Sum" | "Average" | "Minimum" | "Maximum";

export interface SeriesQuery {
  readonly metric: MetricId;
  /** A Statistic or an extended statistic such as `p90`. */
  readonly stat: string;
  /** Seconds; periods are aligned to multiples of the period since the epoch. */
  readonly period: number;
  /** Inclusive; aligned down to the period by the source. */
  readonly start: Date;
  /** Exclusive. */
  readonly end: Date;
  /** Only datapoints stored with this unit, when given. */
  readonly unit?: string;
}

/** One period that has data: its start and the statistic's value over it. */
export interface SeriesPoint {
  readonly timestamp: Date;
  readonly value: number;
  /** How many samples the period held (for `evaluatedDatapoints` and the like). */
  readonly sampleCount: number;
}

export interface MetricSource {
  /** The periods with data in [start, end), oldest first; periods without data are absent. */
  series(query: SeriesQuery): Promise<SeriesPoint[]>;
}
