import { z } from "zod";
import {
  invalidCombination,
  invalidValue,
  isExtendedStatistic,
  METRIC_LIMITS,
  missingParameter,
  postgresMetricSource,
  STATISTICS,
  statisticOf,
  validateDatapointCount,
  validatePeriod,
  validateTimeRange,
} from "../../../../shared/metrics/index.js";
import { defineAction } from "../../protocol/action.js";
import { cloudWatchParser, Dimension, int, list, timestamp } from "../input.js";
import { metricIdOf, UnitInput } from "../metricInput.js";

const GetMetricStatisticsInput = z.object({
  Namespace: z.string().min(1).max(255),
  MetricName: z.string().min(1).max(255),
  Dimensions: list(Dimension).optional(),
  StartTime: timestamp,
  EndTime: timestamp,
  Period: int,
  Statistics: list(z.enum(STATISTICS)).optional(),
  ExtendedStatistics: list(z.string()).optional(),
  Unit: UnitInput.optional(),
});

/**
 * CloudWatch GetMetricStatistics: one datapoint per period (aligned to
 * multiples of the period) and unit that has data, with the statistics asked
 * for — either Statistics or ExtendedStatistics (percentiles), not both — at
 * most 1,440 periods per call. Read straight from the metric store.
 */
export const getMetricStatistics = defineAction({
  name: "GetMetricStatistics",
  input: GetMetricStatisticsInput,
  parse: cloudWatchParser(GetMetricStatisticsInput),
  async handle(input, ctx) {
    const statistics = input.Statistics ?? [];
    const extended = input.ExtendedStatistics ?? [];
    if (statistics.length === 0 && extended.length === 0) {
      throw missingParameter("Statistics or ExtendedStatistics");
    }
    if (statistics.length > 0 && extended.length > 0) {
      throw invalidCombination(
        "The parameters Statistics and ExtendedStatistics are mutually exclusive.",
      );
    }
    if (statistics.length > METRIC_LIMITS.statisticsPerRequest) {
      throw invalidValue(
        `The collection Statistics must not have more than ${METRIC_LIMITS.statisticsPerRequest} members.`,
      );
    }
    if (extended.length > METRIC_LIMITS.extendedStatisticsPerRequest) {
      throw invalidValue(
        `The collection ExtendedStatistics must not have more than ${METRIC_LIMITS.extendedStatisticsPerRequest} members.`,
      );
    }
    extended.forEach((s, i) => {
      if (!isExtendedStatistic(s)) {
        throw invalidValue(
          `The parameter ExtendedStatistics.member.${i + 1} must be a percentile such as p90 or p99.9; got '${s}'.`,
        );
      }
    });
    validatePeriod(input.Period);
    validateTimeRange(input.StartTime, input.EndTime);
    validateDatapointCount(input.StartTime, input.EndTime, input.Period);
    const rows = await postgresMetricSource(ctx.db).aggregates({
      metric: metricIdOf(input),
      period: input.Period,
      start: input.StartTime,
      end: input.EndTime,
      unit: input.Unit,
      byUnit: input.Unit === undefined,
      withDistribution: extended.length > 0,
    });
    return {
      Label: input.MetricName,
      Datapoints: rows.map((r) => {
        const point: Record<string, unknown> = { Timestamp: r.timestamp };
        for (const s of statistics) point[s] = statisticOf(r.aggregate, s);
        if (extended.length > 0) {
          const values = new Map<string, number>();
          for (const s of extended) {
            const v = statisticOf(r.aggregate, s);
            if (v !== undefined) values.set(s, v);
          }
          point.ExtendedStatistics = values;
        }
        point.Unit = r.unit ?? "None";
        return point;
      }),
    };
  },
});
