import type { Kysely } from "kysely";
import type { Database } from "../db/index.js";
import type { SeriesPoint, SeriesQuery } from "./metricSource.js";
import {
  seriesOf,
  type MetricStatisticsSource,
  type PeriodAggregate,
  type StatisticsQuery,
} from "./statisticsQuery.js";
import { metricAggregates } from "./store/metricAggregates.js";

/** The metric store in Postgres, as alarms, policies and GetMetricStatistics read it. */
export const postgresMetricSource = (db: Kysely<Database>): MetricStatisticsSource => {
  const source = {
    aggregates: (query: StatisticsQuery): Promise<PeriodAggregate[]> => metricAggregates(db, query),
    series: (query: SeriesQuery): Promise<SeriesPoint[]> => seriesOf(source, query),
  };
  return source;
};
