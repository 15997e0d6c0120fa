import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  aggregateOfDatum,
  combineAggregates,
  compressDistribution,
  mergeDistributions,
  percentileOf,
  percentileRank,
  statisticOf,
  type Aggregate,
  type Distribution,
} from "../../../shared/metrics/index.js";

const T = new Date("2026-11-26T12:00:00Z");
const datum = (fields: Record<string, unknown>) =>
  aggregateOfDatum({
    metricName: "m",
    dimensions: [],
    timestamp: T,
    unit: "None",
    storageResolution: 60,
    ...fields,
  });

/** Nearest rank over the samples written out one by one: the definition percentiles follow. */
const nearestRank = (samples: readonly number[], p: number): number => {
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1]!;
};

const expand = (d: Distribution): number[] =>
  d.values.flatMap((v, i) => Array.from({ length: d.counts[i]! }, () => v));

const value = fc.integer({ min: -1000, max: 1000 });
const sampleSet = fc.array(fc.tuple(value, fc.integer({ min: 1, max: 5 })), {
  minLength: 1,
  maxLength: 30,
});

describe("statistics of a period", () => {
  it("computes the five statistics from values, value sets and statistic sets", () => {
    const agg = combineAggregates([
      datum({ value: 10 }),
      datum({ values: [20, 30], counts: [3, 1] }),
      datum({ statisticValues: { sampleCount: 2, sum: 9, minimum: 4, maximum: 5 } }),
    ]);
    expect(statisticOf(agg, "SampleCount")).toBe(7);
    expect(statisticOf(agg, "Sum")).toBe(10 + 60 + 30 + 9);
    expect(statisticOf(agg, "Average")).toBe(109 / 7);
    expect(statisticOf(agg, "Minimum")).toBe(4);
    expect(statisticOf(agg, "Maximum")).toBe(30);
    // A statistic set of distinct values has no percentiles, nor has a period holding one.
    expect(statisticOf(agg, "p50")).toBeUndefined();
  });

  it("keeps percentiles for a statistic set whose samples were all equal", () => {
    const agg = datum({ statisticValues: { sampleCount: 4, sum: 12, minimum: 3, maximum: 3 } });
    expect(statisticOf(agg, "p90")).toBe(3);
    const single = datum({ statisticValues: { sampleCount: 1, sum: 7, minimum: 7, maximum: 7 } });
    expect(statisticOf(single, "p50")).toBe(7);
  });

  it("reads percentile names as CloudWatch writes them", () => {
    expect(percentileRank("p90")).toBe(90);
    expect(percentileRank("p99.9")).toBe(99.9);
    expect(percentileRank("p99.99")).toBe(99.99);
    expect(percentileRank("p0")).toBe(0);
    expect(percentileRank("p100")).toBe(100);
    for (const bad of ["p", "p101", "p99.999", "P90", "p-1", "tm90", "90"]) {
      expect(percentileRank(bad)).toBeUndefined();
    }
  });

  it("percentiles: nearest rank, p0 the minimum and p100 the maximum", () => {
    const agg = datum({ values: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10] });
    expect(statisticOf(agg, "p0")).toBe(1);
    expect(statisticOf(agg, "p10")).toBe(1);
    expect(statisticOf(agg, "p11")).toBe(2);
    expect(statisticOf(agg, "p50")).toBe(5);
    expect(statisticOf(agg, "p90")).toBe(9);
    expect(statisticOf(agg, "p90.01")).toBe(10);
    expect(statisticOf(agg, "p100")).toBe(10);
    expect(statisticOf({ sampleCount: 0, sum: 0, minimum: 0, maximum: 0 }, "Average")).toBe(
      undefined,
    );
  });

  it("property: combining aggregates equals computing over all their samples, in any grouping", () => {
    fc.assert(
      fc.property(fc.array(sampleSet, { minLength: 1, maxLength: 6 }), (sets) => {
        const parts = sets.map((s) =>
          datum({ values: s.map(([v]) => v), counts: s.map(([, c]) => c) }),
        );
        const all = sets.flat().flatMap(([v, c]) => Array.from({ length: c }, () => v));
        const once = combineAggregates(parts);
        const split = combineAggregates([
          combineAggregates(parts.slice(0, 1)),
          combineAggregates(parts.slice(1)),
        ]);
        for (const agg of [once, split]) {
          expect(statisticOf(agg, "SampleCount")).toBe(all.length);
          expect(statisticOf(agg, "Sum")).toBe(all.reduce((a, b) => a + b, 0));
          expect(statisticOf(agg, "Minimum")).toBe(Math.min(...all));
          expect(statisticOf(agg, "Maximum")).toBe(Math.max(...all));
          for (const p of [1, 25, 50, 90, 99.9]) {
            expect(statisticOf(agg, `p${p}`)).toBe(nearestRank(all, p));
          }
        }
      }),
    );
  });

  it("property: percentiles rise with p and stay within [Minimum, Maximum]", () => {
    fc.assert(
      fc.property(
        sampleSet,
        fc.integer({ min: 0, max: 100 }),
        fc.integer({ min: 0, max: 100 }),
        (s, a, b) => {
          const agg = datum({ values: s.map(([v]) => v), counts: s.map(([, c]) => c) });
          const [lo, hi] = a <= b ? [a, b] : [b, a];
          const pl = statisticOf(agg, `p${lo}`)!;
          const ph = statisticOf(agg, `p${hi}`)!;
          expect(pl).toBeLessThanOrEqual(ph);
          expect(pl).toBeGreaterThanOrEqual(agg.minimum);
          expect(ph).toBeLessThanOrEqual(agg.maximum);
        },
      ),
    );
  });
});

describe("bounded distributions of rolled-up rows", () => {
  it("merges equal values exactly", () => {
    expect(
      mergeDistributions([
        { values: [3, 1], counts: [1, 2] },
        { values: [1, 2], counts: [1, 1] },
      ]),
    ).toEqual({ values: [1, 2, 3], counts: [3, 1, 1] });
  });

  it("property: compression keeps the count, the exact extremes, the bound, and percentiles within one bucket", () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: -1e6, max: 1e6 }), fc.integer({ min: 1, max: 9 })), {
          minLength: 1,
          maxLength: 400,
        }),
        fc.integer({ min: 4, max: 40 }),
        fc.integer({ min: 1, max: 99 }),
        (pairs, max, p) => {
          const exact = mergeDistributions([
            { values: pairs.map(([v]) => v), counts: pairs.map(([, c]) => c) },
          ]);
          const small = compressDistribution(exact, max);
          const total = (d: Distribution) => d.counts.reduce((a, b) => a + b, 0);
          expect(small.values.length).toBeLessThanOrEqual(max);
          expect(total(small)).toBe(total(exact));
          expect(small.values[0]).toBe(exact.values[0]);
          expect(small.values.at(-1)).toBe(exact.values.at(-1));
          const samples = expand(exact);
          const widest = Math.max(...small.counts);
          const slack = (100 * widest) / samples.length;
          const v = percentileOf(small, p)!;
          expect(v).toBeGreaterThanOrEqual(nearestRank(samples, Math.max(0, p - slack)));
          expect(v).toBeLessThanOrEqual(nearestRank(samples, Math.min(100, p + slack)));
        },
      ),
    );
  });
});

describe("the aggregate of a datum", () => {
  it("takes counts of 1 when Counts is left out", () => {
    const agg: Aggregate = datum({ values: [1, 2, 2] });
    expect(agg).toMatchObject({ sampleCount: 3, sum: 5, minimum: 1, maximum: 2 });
    expect(agg.distribution).toEqual({ values: [1, 2], counts: [1, 2] });
  });
});
