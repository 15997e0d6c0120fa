import { canonicalDimensions, metricKey } from "./dimensions.js";
import { MetricDatum, type MetricDatumInput } from "./metricDatum.js";
import type { MetricId, SeriesPoint, SeriesQuery } from "./metricSource.js";
import { aggregateOfDatum, combineAggregates, type Aggregate } from "./statistics.js";
import {
  seriesOf,
  type MetricStatisticsSource,
  type PeriodAggregate,
  type StatisticsQuery,
} from "./statisticsQuery.js";
import { alignDown } from "./tiers.js";

interface StoredPoint {
  readonly timestamp: Date;
  readonly unit: string;
  readonly aggregate: Aggregate;
}

/**
 * The metric store in memory, for the simulator and unit tests: the same
 * datums, alignment and statistics as the Postgres store, without its
 * retention (nothing is rolled up or dropped).
 */
export class InMemoryMetricStore implements MetricStatisticsSource {
  private readonly byKey = new Map<string, { metric: MetricId; points: StoredPoint[] }>();

  /** Stores datums as PutMetricData would (high resolution at 1 s, standard at 1 min). */
  put(namespace: string, datums: readonly MetricDatumInput[]): void {
    for (const input of datums) {
      const d = MetricDatum.parse(input);
      const aggregate = aggregateOfDatum(d);
      if (!(aggregate.sampleCount > 0)) continue;
      const dimensions = canonicalDimensions(d.dimensions);
      const key = metricKey(namespace, d.metricName, dimensions);
      let entry = this.byKey.get(key);
      if (!entry) {
        entry = { metric: { namespace, metricName: d.metricName, dimensions }, points: [] };
        this.byKey.set(key, entry);
      }
      entry.points.push({
        timestamp: alignDown(d.timestamp, d.storageResolution),
        unit: d.unit,
        aggregate,
      });
    }
  }

  /** The metrics stored so far. */
  metrics(): MetricId[] {
    return [...this.byKey.values()].map((e) => e.metric);
  }

  aggregates(query: StatisticsQuery): Promise<PeriodAggregate[]> {
    const entry = this.byKey.get(
      metricKey(query.metric.namespace, query.metric.metricName, query.metric.dimensions),
    );
    const start = alignDown(query.start, query.period).getTime();
    const end = query.end.getTime();
    const buckets = new Map<string, { timestamp: Date; unit: string; parts: Aggregate[] }>();
    for (const p of entry?.points ?? []) {
      const t = p.timestamp.getTime();
      if (t < start || t >= end) continue;
      if (query.unit !== undefined && p.unit !== query.unit) continue;
      const timestamp = alignDown(p.timestamp, query.period);
      const unit = query.byUnit ? p.unit : "";
      const key = `${timestamp.getTime()}|${unit}`;
      let b = buckets.get(key);
      if (!b) buckets.set(key, (b = { timestamp, unit, parts: [] }));
      b.parts.push(p.aggregate);
    }
    const out = [...buckets.values()]
      .sort((a, b) => a.timestamp.getTime() - b.timestamp.getTime() || (a.unit < b.unit ? -1 : 1))
      .map((b): PeriodAggregate => {
        const aggregate = combineAggregates(b.parts);
        return {
          timestamp: b.timestamp,
          ...(query.byUnit
            ? { unit: b.unit }
            : query.unit === undefined
              ? {}
              : { unit: query.unit }),
          aggregate: query.withDistribution ? aggregate : { ...aggregate, distribution: undefined },
        };
      });
    return Promise.resolve(out);
  }

  series(query: SeriesQuery): Promise<SeriesPoint[]> {
    return seriesOf(this, query);
  }
}
