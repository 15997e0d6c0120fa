import type { Kysely } from "kysely";
import type { Database } from "../../../shared/db/index.js";
import { insertMetricData, type MetricDatumInput } from "../../../shared/metrics/index.js";
import type { EcsDatum } from "./periodAccumulator.js";

/** The metric store's datum for one of ours (PutMetricData's MetricDatum with StatisticValues). */
export const toMetricDatum = (d: EcsDatum): MetricDatumInput => ({
  metricName: d.metricName,
  dimensions: d.dimensions.map((x) => ({ name: x.name, value: x.value })),
  timestamp: d.timestamp,
  statisticValues: {
    sampleCount: d.statisticValues.sampleCount,
    sum: d.statisticValues.sum,
    minimum: d.statisticValues.min,
    maximum: d.statisticValues.max,
  },
  unit: d.unit,
  storageResolution: d.storageResolution,
});

/** Writes the datapoints in-process into the metric store, one call per namespace. */
export const writeEcsDatums = async (
  db: Kysely<Database>,
  datums: readonly EcsDatum[],
  receivedAt: Date,
): Promise<void> => {
  const byNamespace = new Map<string, MetricDatumInput[]>();
  for (const d of datums) {
    const list = byNamespace.get(d.namespace) ?? [];
    list.push(toMetricDatum(d));
    byNamespace.set(d.namespace, list);
  }
  for (const [namespace, list] of byNamespace) {
    await insertMetricData(db, namespace, list, receivedAt);
  }
};
