import { z } from "zod";
import { PutMetricData } from "../../../../shared/commands/autoscaler/index.js";
import {
  invalidValue,
  METRIC_LIMITS,
  validateMetricData,
  validateNamespace,
  type MetricDatum,
} from "../../../../shared/metrics/index.js";
import { defineAction } from "../../protocol/action.js";
import { cloudWatchParser, Dimension, int, list, num, timestamp } from "../input.js";
import { UnitInput } from "../metricInput.js";

/** A datum value: a number, or the SDKs' text for the values CloudWatch refuses (NaN, ±Infinity). */
const MetricValue = z.union([
  z.enum(["NaN", "Infinity", "+Infinity", "-Infinity"]).transform((s) => Number(s)),
  num,
]);

const MetricDatumInput = z.object({
  MetricName: z.string(),
  Dimensions: list(Dimension).optional(),
  Timestamp: timestamp.optional(),
  Value: MetricValue.optional(),
  Values: list(MetricValue).optional(),
  Counts: list(MetricValue).optional(),
  StatisticValues: z
    .object({
      SampleCount: MetricValue,
      Sum: MetricValue,
      Minimum: MetricValue,
      Maximum: MetricValue,
    })
    .optional(),
  Unit: UnitInput.optional(),
  StorageResolution: int.optional(),
});

const PutMetricDataInput = z.object({
  Namespace: z.string(),
  MetricData: list(MetricDatumInput).optional(),
  /** Entities (PutMetricData's newer fields) are accepted and ignored. */
  EntityMetricData: z.unknown().optional(),
  StrictEntityValidation: z.unknown().optional(),
});

/** A command's JSON stays well under NATS' default 1 MiB payload. */
const MAX_COMMAND_BYTES = 512 * 1024;

/**
 * CloudWatch PutMetricData: checked here against CloudWatch's limits (the
 * error names the field, e.g. `MetricData.member.1.Value`), then sent to the
 * autoscaler, which stores it (in pieces if the request is large).
 */
export const putMetricData = defineAction({
  name: "PutMetricData",
  input: PutMetricDataInput,
  parse: cloudWatchParser(PutMetricDataInput),
  async handle(input, ctx) {
    const now = new Date();
    validateNamespace(input.Namespace);
    const data = input.MetricData ?? [];
    if (data.length > METRIC_LIMITS.metricDataPerRequest) {
      throw invalidValue(
        `The collection MetricData must not have more than ${METRIC_LIMITS.metricDataPerRequest} members; got ${data.length}.`,
      );
    }
    const datums: MetricDatum[] = data.map((d, i) => {
      const resolution = d.StorageResolution ?? 60;
      if (resolution !== 1 && resolution !== 60) {
        throw invalidValue(
          `The parameter MetricData.member.${i + 1}.StorageResolution must be 1 or 60; got ${resolution}.`,
        );
      }
      return {
        metricName: d.MetricName,
        dimensions: (d.Dimensions ?? []).map((x) => ({ name: x.Name, value: x.Value })),
        timestamp: d.Timestamp ?? now,
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
        unit: d.Unit ?? "None",
        storageResolution: resolution,
      };
    });
    validateMetricData(datums, now);
    for (const chunk of chunksOf(datums)) {
      await ctx.commands.send(
        PutMetricData,
        { namespace: input.Namespace, metricData: chunk },
        ctx.metadata,
      );
    }
    return {};
  },
});

/** Datums in pieces whose JSON fits a command. */
const chunksOf = (datums: readonly MetricDatum[]): MetricDatum[][] => {
  const chunks: MetricDatum[][] = [];
  let current: MetricDatum[] = [];
  let bytes = 0;
  for (const d of datums) {
    const size = JSON.stringify(d).length;
    if (current.length > 0 && bytes + size > MAX_COMMAND_BYTES) {
      chunks.push(current);
      current = [];
      bytes = 0;
    }
    current.push(d);
    bytes += size;
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
};
