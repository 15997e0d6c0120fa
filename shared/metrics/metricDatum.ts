import { z } from "zod";

/** CloudWatch's units; a datum without one is stored as `None`. */
export const METRIC_UNITS = [
  "Seconds",
  "Microseconds",
  "Milliseconds",
  "Bytes",
  "Kilobytes",
  "Megabytes",
  "Gigabytes",
  "Terabytes",
  "Bits",
  "Kilobits",
  "Megabits",
  "Gigabits",
  "Terabits",
  "Percent",
  "Count",
  "Bytes/Second",
  "Kilobytes/Second",
  "Megabytes/Second",
  "Gigabytes/Second",
  "Terabytes/Second",
  "Bits/Second",
  "Kilobits/Second",
  "Megabits/Second",
  "Gigabits/Second",
  "Terabits/Second",
  "Count/Second",
  "None",
] as const;

export const MetricUnit = z.enum(METRIC_UNITS);
export type MetricUnit = z.infer<typeof MetricUnit>;

export const MetricDimension = z.object({ name: z.string(), value: z.string() });

/** A statistic set: the samples' count, sum, minimum and maximum, without their values. */
export const StatisticSet = z.object({
  sampleCount: z.number(),
  sum: z.number(),
  minimum: z.number(),
  maximum: z.number(),
});
export type StatisticSet = z.infer<typeof StatisticSet>;

/**
 * One datum as the metric store takes it (PutMetricData's MetricDatum, in our
 * names): exactly one of `value`, `values` (with `counts`, 1 each when absent)
 * or `statisticValues`. Timestamps travel as ISO 8601 and parse to a Date.
 */
export const MetricDatum = z.object({
  metricName: z.string(),
  dimensions: z.array(MetricDimension).default([]),
  timestamp: z.union([z.date(), z.iso.datetime({ offset: true }).transform((s) => new Date(s))]),
  value: z.number().optional(),
  values: z.array(z.number()).optional(),
  counts: z.array(z.number()).optional(),
  statisticValues: StatisticSet.optional(),
  unit: MetricUnit.default("None"),
  /** 1 for high resolution (kept at 1 s granularity), 60 for standard (1 min). */
  storageResolution: z.union([z.literal(1), z.literal(60)]).default(60),
});
export type MetricDatum = z.infer<typeof MetricDatum>;
/** What a caller of insertMetricData writes: dimensions, unit and resolution may be left out. */
export interface MetricDatumInput {
  readonly metricName: string;
  readonly dimensions?: readonly { readonly name: string; readonly value: string }[] | undefined;
  /** A Date, or ISO 8601 text. */
  readonly timestamp: Date | string;
  readonly value?: number | undefined;
  readonly values?: readonly number[] | undefined;
  readonly counts?: readonly number[] | undefined;
  readonly statisticValues?: StatisticSet | undefined;
  readonly unit?: MetricUnit | undefined;
  readonly storageResolution?: 1 | 60 | undefined;
}
