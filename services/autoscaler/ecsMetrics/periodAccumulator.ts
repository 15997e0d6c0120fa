import { alignDown, storageResolutionOf } from "./ecsMetricsPeriod.js";
import type { MetricKey, RoundValues, UtilizationSample } from "./utilizationRound.js";

/** A statistic set: what CloudWatch's StatisticValues carries. */
export interface StatisticSet {
  readonly sampleCount: number;
  readonly sum: number;
  readonly min: number;
  readonly max: number;
}

interface Entry {
  readonly key: MetricKey;
  readonly cpu: StatisticSet | undefined;
  readonly memory: StatisticSet | undefined;
  readonly runningTasks: StatisticSet | undefined;
}

/** The rounds collected so far, per aligned period start (ms) and metric key. */
export type PeriodAccumulator = ReadonlyMap<number, ReadonlyMap<string, Entry>>;

export const EMPTY_ACCUMULATOR: PeriodAccumulator = new Map();

const keyId = (k: MetricKey): string => `${k.clusterName}\u0000${k.serviceName ?? ""}`;

const addUtilization = (
  set: StatisticSet | undefined,
  s: UtilizationSample | undefined,
): StatisticSet | undefined => {
  if (!s) return set;
  if (!set) return { sampleCount: 1, sum: s.value, min: s.min, max: s.max };
  return {
    sampleCount: set.sampleCount + 1,
    sum: set.sum + s.value,
    min: Math.min(set.min, s.min),
    max: Math.max(set.max, s.max),
  };
};

const addValue = (set: StatisticSet | undefined, v: number | undefined) =>
  v === undefined ? set : addUtilization(set, { value: v, min: v, max: v });

/**
 * PURE: adds one round, taken at `roundEndMs`, to the period holding the round's
 * start (`roundEndMs - roundMs`): a round at a period boundary closes that period.
 */
export const addRound = (
  acc: PeriodAccumulator,
  roundEndMs: number,
  roundMs: number,
  periodMs: number,
  round: readonly RoundValues[],
): PeriodAccumulator => {
  const start = alignDown(roundEndMs - roundMs, periodMs);
  const entries = new Map(acc.get(start) ?? []);
  for (const r of round) {
    const id = keyId(r.key);
    const e = entries.get(id);
    entries.set(id, {
      key: r.key,
      cpu: addUtilization(e?.cpu, r.cpu),
      memory: addUtilization(e?.memory, r.memory),
      runningTasks: addValue(e?.runningTasks, r.runningTasks),
    });
  }
  const next = new Map(acc);
  next.set(start, entries);
  return next;
};

/** One datapoint to write: CloudWatch's MetricDatum with a StatisticValues set. */
export interface EcsDatum {
  readonly namespace: "AWS/ECS" | "ECS/ContainerInsights";
  readonly metricName: "CPUUtilization" | "MemoryUtilization" | "RunningTaskCount";
  readonly dimensions: readonly { readonly name: string; readonly value: string }[];
  readonly timestamp: Date;
  readonly statisticValues: StatisticSet;
  readonly unit: "Percent" | "Count";
  readonly storageResolution: 1 | 60;
}

/**
 * PURE: the periods that ended by `nowMs` (start + period ≤ now) as datapoints
 * stamped with their period's start, and the accumulator without them. The
 * statistic set runs over the period's rounds: Sum ÷ SampleCount is the mean of
 * the rounds' Σused ÷ Σreserved × 100, Minimum and Maximum the lowest and highest
 * single task's (cluster: instance's) utilisation, as ECS documents its statistics.
 */
export const closePeriods = (
  acc: PeriodAccumulator,
  nowMs: number,
  periodMs: number,
): { acc: PeriodAccumulator; datums: EcsDatum[] } => {
  const storageResolution = storageResolutionOf(periodMs / 1000);
  const datums: EcsDatum[] = [];
  const next = new Map(acc);
  for (const [start, entries] of [...acc].sort(([a], [b]) => a - b)) {
    if (start + periodMs > nowMs) continue;
    next.delete(start);
    const timestamp = new Date(start);
    for (const e of entries.values()) {
      const dimensions = [{ name: "ClusterName", value: e.key.clusterName }];
      if (e.key.serviceName !== undefined) {
        dimensions.push({ name: "ServiceName", value: e.key.serviceName });
      }
      const base = { dimensions, timestamp, storageResolution } as const;
      if (e.cpu) {
        datums.push({
          ...base,
          namespace: "AWS/ECS",
          metricName: "CPUUtilization",
          statisticValues: e.cpu,
          unit: "Percent",
        });
      }
      if (e.memory) {
        datums.push({
          ...base,
          namespace: "AWS/ECS",
          metricName: "MemoryUtilization",
          statisticValues: e.memory,
          unit: "Percent",
        });
      }
      if (e.runningTasks) {
        datums.push({
          ...base,
          namespace: "ECS/ContainerInsights",
          metricName: "RunningTaskCount",
          statisticValues: e.runningTasks,
          unit: "Count",
        });
      }
    }
  }
  return { acc: next, datums };
};
