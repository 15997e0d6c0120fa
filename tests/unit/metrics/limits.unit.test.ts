import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  alignDown,
  ingestTier,
  isValidPeriod,
  partitionOf,
  partitionStartOf,
  periodCount,
  TIERS,
  validateDatapointCount,
  validateMetricData,
  validateNamespace,
  type MetricDatum,
} from "../../../shared/metrics/index.js";

const NOW = new Date("2026-11-26T12:00:00Z");
const d = (fields: Partial<MetricDatum> = {}): MetricDatum => ({
  metricName: "m",
  dimensions: [],
  timestamp: NOW,
  value: 1,
  unit: "None",
  storageResolution: 60,
  ...fields,
});

const refusal = (f: () => void) => {
  try {
    f();
  } catch (e) {
    return { type: (e as { type: string }).type, message: (e as Error).message };
  }
  return undefined;
};

describe("period alignment", () => {
  it("property: periods start at multiples of the period since the epoch", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 4e12 }),
        fc.constantFrom(1, 5, 10, 20, 30, 60, 120, 300, 3600, 86_400),
        (ms, period) => {
          const start = alignDown(new Date(ms), period).getTime();
          expect(start % (period * 1000)).toBe(0);
          expect(start).toBeLessThanOrEqual(ms);
          expect(ms - start).toBeLessThan(period * 1000);
        },
      ),
    );
  });

  it("valid periods: 1, 5, 10, 20, 30 or multiples of 60", () => {
    fc.assert(
      fc.property(fc.integer({ min: -100, max: 100_000 }), (p) => {
        expect(isValidPeriod(p)).toBe(p > 0 && ([1, 5, 10, 20, 30].includes(p) || p % 60 === 0));
      }),
    );
  });

  it("GetMetricStatistics: 1,440 datapoints pass, 1,441 are InvalidParameterCombination", () => {
    const start = new Date("2026-11-25T12:00:00Z");
    expect(periodCount(start, NOW, 60)).toBe(1440);
    expect(refusal(() => validateDatapointCount(start, NOW, 60))).toBeUndefined();
    const longer = new Date(NOW.getTime() + 60_000);
    expect(refusal(() => validateDatapointCount(start, longer, 60))).toMatchObject({
      type: "InvalidParameterCombination",
      message: expect.stringContaining("1441") as unknown,
    });
    // An unaligned start counts the period it is aligned down into.
    expect(periodCount(new Date("2026-11-26T11:58:30Z"), NOW, 60)).toBe(2);
  });
});

describe("granularities", () => {
  it("stores high resolution at 1 s for 3 hours, then at coarser granularities", () => {
    const ago = (s: number) => new Date(NOW.getTime() - s * 1000);
    expect(ingestTier(1, ago(10), NOW).granularity).toBe(1);
    expect(ingestTier(1, ago(3 * 3600 + 1), NOW).granularity).toBe(60);
    expect(ingestTier(60, ago(10), NOW).granularity).toBe(60);
    expect(ingestTier(60, ago(16 * 86_400), NOW).granularity).toBe(300);
    // Future timestamps (up to 2 h ahead) stay fine-grained.
    expect(ingestTier(1, new Date(NOW.getTime() + 3600_000), NOW).granularity).toBe(1);
  });

  it("names partitions so their start can be read back", () => {
    for (const tier of TIERS) {
      const p = partitionOf(tier, NOW);
      expect(partitionStartOf(p.name)).toEqual(p.from);
      expect(p.from.getTime()).toBeLessThanOrEqual(NOW.getTime());
      expect(p.to.getTime() - p.from.getTime()).toBe(tier.partitionSeconds * 1000);
    }
  });
});

describe("PutMetricData's limits", () => {
  it("accepts a plain datum and refuses AWS/ namespaces", () => {
    expect(refusal(() => validateMetricData([d()], NOW))).toBeUndefined();
    expect(refusal(() => validateNamespace("AWS/ECS"))).toMatchObject({
      type: "InvalidParameterValue",
    });
    expect(refusal(() => validateNamespace("Flotilla/App"))).toBeUndefined();
  });

  it.each<[string, Partial<MetricDatum>, string, string]>([
    ["NaN", { value: Number.NaN }, "InvalidParameterValue", "MetricData.member.2.Value"],
    ["Infinity", { value: Infinity }, "InvalidParameterValue", "MetricData.member.2.Value"],
    ["too large", { value: 2 ** 361 }, "InvalidParameterValue", "MetricData.member.2.Value"],
    [
      "a bad value in a set",
      { value: undefined, values: [1, Number.NaN] },
      "InvalidParameterValue",
      "MetricData.member.2.Values.member.2",
    ],
    [
      "151 values",
      { value: undefined, values: Array.from({ length: 151 }, () => 1) },
      "InvalidParameterValue",
      "MetricData.member.2.Values",
    ],
    [
      "counts that do not match",
      { value: undefined, values: [1, 2], counts: [1] },
      "InvalidParameterCombination",
      "MetricData.member.2.Counts",
    ],
    [
      "Value with Values",
      { values: [1] },
      "InvalidParameterCombination",
      "MetricData.member.2.Values",
    ],
    ["no value", { value: undefined }, "InvalidParameterCombination", "MetricData.member.2.Value"],
    [
      "31 dimensions",
      { dimensions: Array.from({ length: 31 }, (_, i) => ({ name: `d${i}`, value: "v" })) },
      "InvalidParameterValue",
      "MetricData.member.2.Dimensions",
    ],
    [
      "a repeated dimension",
      {
        dimensions: [
          { name: "a", value: "1" },
          { name: "a", value: "2" },
        ],
      },
      "InvalidParameterValue",
      "MetricData.member.2.Dimensions.member.2.Name",
    ],
    [
      "15 days old",
      { timestamp: new Date(NOW.getTime() - 15 * 86_400_000) },
      "InvalidParameterValue",
      "MetricData.member.2.Timestamp",
    ],
    [
      "3 hours ahead",
      { timestamp: new Date(NOW.getTime() + 3 * 3_600_000) },
      "InvalidParameterValue",
      "MetricData.member.2.Timestamp",
    ],
    [
      "min above max",
      { value: undefined, statisticValues: { sampleCount: 2, sum: 3, minimum: 2, maximum: 1 } },
      "InvalidParameterCombination",
      "MetricData.member.2.StatisticValues.Minimum",
    ],
  ])("refuses %s, naming the field", (_name, fields, type, field) => {
    const r = refusal(() => validateMetricData([d(), d(fields)], NOW));
    expect(r?.type).toBe(type);
    expect(r?.message).toContain(field);
  });

  it("accepts 1,000 datums, 30 dimensions, 150 values, 2 weeks old and 2 hours ahead; refuses 1,001", () => {
    const edge = [
      d({ dimensions: Array.from({ length: 30 }, (_, i) => ({ name: `d${i}`, value: "v" })) }),
      d({ value: undefined, values: Array.from({ length: 150 }, (_, i) => i) }),
      d({ timestamp: new Date(NOW.getTime() - 14 * 86_400_000) }),
      d({ timestamp: new Date(NOW.getTime() + 2 * 3_600_000) }),
      d({ value: -(2 ** 360) }),
    ];
    expect(refusal(() => validateMetricData(edge, NOW))).toBeUndefined();
    const many = Array.from({ length: 1000 }, () => d());
    expect(refusal(() => validateMetricData(many, NOW))).toBeUndefined();
    expect(refusal(() => validateMetricData([...many, d()], NOW))?.type).toBe(
      "InvalidParameterValue",
    );
    expect(refusal(() => validateMetricData([], NOW))?.type).toBe("MissingParameter");
  });
});
