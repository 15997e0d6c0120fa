import type { MetricId, MetricSource, SeriesPoint, SeriesQuery } from "./metricSource.js";
import { statisticOf, type Aggregate } from "./statistics.js";

/** The samples of a metric per period, as GetMetricStatistics and alarms read them. */
export interface StatisticsQuery {
  readonly metric: MetricId;
  /** Seconds; periods are aligned to multiples of the period since the epoch. */
  readonly period: number;
  /** Inclusive; aligned down to the period. */
  readonly start: Date;
  /** Exclusive. */
  readonly end: Date;
  /** Only samples stored with this unit, when given. */
  readonly unit?: string | undefined;
  /** One aggregate per period and unit (GetMetricStatistics without Unit), or per period. */
  readonly byUnit: boolean;
  /** Whether to read the value distributions (percentiles need them). */
  readonly withDistribution: boolean;
}

export interface PeriodAggregate {
  /** The period's start. */
  readonly timestamp: Date;
  /** The samples' unit when grouped by unit (or filtered by one). */
  readonly unit?: string | undefined;
  readonly aggregate: Aggregate;
}

/** A metric store: both the per-period samples and the alarm-facing series. */
export interface MetricStatisticsSource extends MetricSource {
  /** The periods of [start, end) that have samples, oldest first. */
  aggregates(query: StatisticsQuery): Promise<PeriodAggregate[]>;
}

/** MetricSource.series in terms of aggregates: one statistic per period with data. */
export const seriesOf = async (
  source: Pick<MetricStatisticsSource, "aggregates">,
  query: SeriesQuery,
): Promise<SeriesPoint[]> => {
  const rows = await source.aggregates({
    metric: query.metric,
    period: query.period,
    start: query.start,
    end: query.end,
    unit: query.unit,
    byUnit: false,
    withDistribution: !isPlainStatistic(query.stat),
  });
  const points: SeriesPoint[] = [];
  for (const r of rows) {
    const value = statisticOf(r.aggregate, query.stat);
    if (value !== undefined) {
      points.push({ timestamp: r.timestamp, value, sampleCount: r.aggregate.sampleCount });
    }
  }
  return points;
};

const isPlainStatistic = (s: string): boolean =>
  ["SampleCount", "Average", "Sum", "Minimum", "Maximum"].includes(s);
