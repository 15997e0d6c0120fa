import type { MetricDatumInput } from "../../../shared/metrics/metricDatum.js";
import type { SimMetricDatum, SimulationInput } from "./simulationInput.js";

/** One datum of the input, waiting for the virtual clock to pass its timestamp. */
export interface FeedItem {
  readonly namespace: string;
  readonly atMs: number;
  /** The datum, given the running count when it is written (PerRunningTask series divide by it). */
  readonly datum: (runningCount: number) => MetricDatumInput;
}

const dimensions = (d: readonly { Name: string; Value: string }[]) =>
  d.map((x) => ({ name: x.Name, value: x.Value }));

/** PutMetricData's datum in the metric store's names. */
export const fromApiDatum = (d: SimMetricDatum): MetricDatumInput => ({
  metricName: d.MetricName,
  dimensions: dimensions(d.Dimensions),
  timestamp: d.Timestamp,
  ...(d.Value === undefined ? {} : { value: d.Value }),
  ...(d.Values === undefined ? {} : { values: d.Values }),
  ...(d.Counts === undefined ? {} : { counts: d.Counts }),
  ...(d.StatisticValues === undefined
    ? {}
    : {
        statisticValues: {
          sampleCount: d.StatisticValues.SampleCount,
          sum: d.StatisticValues.Sum,
          minimum: d.StatisticValues.Minimum,
          maximum: d.StatisticValues.Maximum,
        },
      }),
  ...(d.Unit === undefined ? {} : { unit: d.Unit as MetricDatumInput["unit"] }),
  ...(d.StorageResolution === undefined ? {} : { storageResolution: d.StorageResolution }),
});

/** PURE: every datum of the input (PutMetricData requests and series), oldest first. */
export const metricFeed = (input: SimulationInput): FeedItem[] => {
  const items: FeedItem[] = [];
  for (const request of input.PutMetricData) {
    for (const d of request.MetricData) {
      const datum = fromApiDatum(d);
      items.push({ namespace: request.Namespace, atMs: d.Timestamp.getTime(), datum: () => datum });
    }
  }
  for (const s of input.MetricSeries) {
    s.Values.forEach((value, i) => {
      if (value === null) return;
      const atMs = s.StartTime.getTime() + i * s.IntervalSeconds * 1000;
      items.push({
        namespace: s.Namespace,
        atMs,
        datum: (running) => ({
          metricName: s.MetricName,
          dimensions: dimensions(s.Dimensions),
          timestamp: new Date(atMs),
          value: s.PerRunningTask ? value / Math.max(1, running) : value,
          ...(s.Unit === undefined ? {} : { unit: s.Unit as MetricDatumInput["unit"] }),
          ...(s.StorageResolution === undefined ? {} : { storageResolution: s.StorageResolution }),
        }),
      });
    });
  }
  return items.sort((a, b) => a.atMs - b.atMs);
};
