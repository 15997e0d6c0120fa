/**
 * CloudWatch's metric store, shared by the api (reads) and the autoscaler
 * (writes, roll-ups, alarms). Exports:
 * - insertMetricData(db, namespace, datums, receivedAt) — append datums (ECS metrics call it in-process)
 * - postgresMetricSource(db) — MetricSource + per-period aggregates over Postgres
 * - InMemoryMetricStore — the same over memory: put(namespace, datums), series(query), aggregates(query)
 * - MetricSource, SeriesQuery, SeriesPoint, MetricId, Dimension — the readers' contract
 * - MetricDatum (schema), MetricUnit — the datum as the store takes it
 * - statisticOf, aggregateOfDatum, combineAggregates, percentileRank — pure statistics
 * - validateMetricData, validatePeriod, validateDatapointCount, METRIC_LIMITS — CloudWatch's limits
 * - metricAggregates, listMetrics, rollUpMetrics, dropExpiredPartitions, createPartitionsAhead — SQL
 * - TIERS, alignDown — granularities, retention and period alignment
 */
export * from "./metricSource.js";
export * from "./metricDatum.js";
export * from "./distribution.js";
export * from "./statistics.js";
export * from "./statisticsQuery.js";
export * from "./dimensions.js";
export * from "./limits.js";
export * from "./tiers.js";
export { InMemoryMetricStore } from "./inMemoryMetricStore.js";
export { postgresMetricSource } from "./postgresMetricSource.js";
export { insertMetricData } from "./store/insertMetricData.js";
export { metricAggregates } from "./store/metricAggregates.js";
export { listMetrics, type ListMetricsQuery, type ListedMetric } from "./store/listMetrics.js";
export { rollUpMetrics, type RollUpResult } from "./store/rollUpMetrics.js";
export { dropExpiredPartitions } from "./store/dropExpiredPartitions.js";
export { createPartitionsAhead } from "./store/createPartitionsAhead.js";
