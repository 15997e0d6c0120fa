import { describe, expect, it } from "vitest";
import { InMemoryMetricStore, type MetricId } from "../../../shared/metrics/index.js";

const at = (s: string) => new Date(`2026-11-26T${s}Z`);
const metric: MetricId = {
  namespace: "App",
  metricName: "CPU",
  dimensions: [
    { name: "ServiceName", value: "web" },
    { name: "ClusterName", value: "prod" },
  ],
};

describe("the in-memory metric store", () => {
  it("answers series per aligned period, for the exact dimension set in any order", async () => {
    const store = new InMemoryMetricStore();
    store.put("App", [
      {
        metricName: "CPU",
        dimensions: metric.dimensions,
        timestamp: at("12:00:05"),
        value: 10,
        storageResolution: 1,
      },
      {
        metricName: "CPU",
        dimensions: [...metric.dimensions].reverse(),
        timestamp: at("12:00:15"),
        value: 30,
        storageResolution: 1,
      },
      {
        metricName: "CPU",
        dimensions: metric.dimensions,
        timestamp: at("12:00:25"),
        value: 50,
        storageResolution: 1,
        unit: "Percent",
      },
      // Another dimension set is another metric.
      {
        metricName: "CPU",
        dimensions: metric.dimensions.slice(1),
        timestamp: at("12:00:05"),
        value: 99,
      },
    ]);
    const series = (period: number, stat: string, unit?: string) =>
      store.series({
        metric,
        stat,
        period,
        start: at("12:00:07"),
        end: at("12:01:00"),
        ...(unit ? { unit } : {}),
      });
    // The start is aligned down to the period: 12:00:05 is in.
    expect(await series(10, "Average")).toEqual([
      { timestamp: at("12:00:00"), value: 10, sampleCount: 1 },
      { timestamp: at("12:00:10"), value: 30, sampleCount: 1 },
      { timestamp: at("12:00:20"), value: 50, sampleCount: 1 },
    ]);
    expect(await series(60, "Sum")).toEqual([
      { timestamp: at("12:00:00"), value: 90, sampleCount: 3 },
    ]);
    expect(await series(60, "Sum", "Percent")).toEqual([
      { timestamp: at("12:00:00"), value: 50, sampleCount: 1 },
    ]);
    expect(await series(60, "p50")).toEqual([
      { timestamp: at("12:00:00"), value: 30, sampleCount: 3 },
    ]);
    expect(store.metrics()).toHaveLength(2);
  });

  it("keeps standard-resolution data at minute granularity", async () => {
    const store = new InMemoryMetricStore();
    store.put("App", [
      { metricName: "CPU", dimensions: metric.dimensions, timestamp: at("12:00:45"), value: 1 },
    ]);
    expect(
      await store.series({
        metric,
        stat: "SampleCount",
        period: 10,
        start: at("12:00:00"),
        end: at("12:01:00"),
      }),
    ).toEqual([{ timestamp: at("12:00:00"), value: 1, sampleCount: 1 }]);
  });
});
