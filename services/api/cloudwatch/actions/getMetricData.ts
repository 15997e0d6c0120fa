import { z } from "zod";
import { EcsError } from "../../../../shared/domain/errors.js";
import {
  invalidValue,
  isExtendedStatistic,
  isStatistic,
  METRIC_LIMITS,
  missingParameter,
  postgresMetricSource,
  validatePeriod,
  validateTimeRange,
  type SeriesPoint,
} from "../../../../shared/metrics/index.js";
import { decodeToken, encodeToken } from "../../ecs/pagination.js";
import { defineAction } from "../../protocol/action.js";
import { bool, cloudWatchParser, int, list, timestamp } from "../input.js";
import { metricIdOf, MetricShape, UnitInput } from "../metricInput.js";

const MetricDataQuery = z.object({
  Id: z.string(),
  MetricStat: z
    .object({ Metric: MetricShape, Period: int, Stat: z.string(), Unit: UnitInput.optional() })
    .optional(),
  Expression: z.string().optional(),
  Label: z.string().optional(),
  ReturnData: bool.optional(),
  Period: int.optional(),
  AccountId: z.string().optional(),
});

const GetMetricDataInput = z.object({
  MetricDataQueries: list(MetricDataQuery),
  StartTime: timestamp,
  EndTime: timestamp,
  NextToken: z.string().optional(),
  ScanBy: z.enum(["TimestampDescending", "TimestampAscending"]).optional(),
  MaxDatapoints: int.optional(),
  LabelOptions: z.unknown().optional(),
});

const QUERY_ID = /^[a-z][a-zA-Z0-9_]*$/;

/**
 * CloudWatch GetMetricData for MetricStat queries: each query's statistic per
 * period (aligned to multiples of its period), newest first unless
 * ScanBy=TimestampAscending, at most MaxDatapoints values per page across the
 * queries, continued with NextToken. Metric math (Expression) is not
 * supported and is refused naming the query.
 */
export const getMetricData = defineAction({
  name: "GetMetricData",
  input: GetMetricDataInput,
  parse: cloudWatchParser(GetMetricDataInput),
  async handle(input, ctx) {
    const queries = input.MetricDataQueries;
    if (queries.length === 0) throw missingParameter("MetricDataQueries");
    if (queries.length > METRIC_LIMITS.metricDataQueriesPerRequest) {
      throw invalidValue(
        `The collection MetricDataQueries must not have more than ${METRIC_LIMITS.metricDataQueriesPerRequest} members.`,
      );
    }
    validateTimeRange(input.StartTime, input.EndTime);
    const maxDatapoints = input.MaxDatapoints ?? METRIC_LIMITS.defaultMaxDatapoints;
    if (maxDatapoints < 1) throw invalidValue("The parameter MaxDatapoints must be at least 1.");
    const ids = new Set<string>();
    const stats = queries.map((q, i) => {
      const at = `MetricDataQueries.member.${i + 1}`;
      if (!QUERY_ID.test(q.Id) || q.Id.length > 255) {
        throw invalidValue(
          `The parameter ${at}.Id must start with a lowercase letter and hold only letters, digits and underscores; got '${q.Id}'.`,
        );
      }
      if (ids.has(q.Id)) throw invalidValue(`The parameter ${at}.Id repeats the Id '${q.Id}'.`);
      ids.add(q.Id);
      if (q.Expression !== undefined) {
        throw invalidValue(
          `The parameter ${at}.Expression is not supported: Flotilla answers MetricStat queries only, not metric math.`,
        );
      }
      if (!q.MetricStat) throw missingParameter(`${at}.MetricStat`);
      const stat = q.MetricStat.Stat;
      if (!isStatistic(stat) && !isExtendedStatistic(stat)) {
        throw invalidValue(
          `The parameter ${at}.MetricStat.Stat must be SampleCount, Average, Sum, Minimum, Maximum or a percentile such as p90; got '${stat}'.`,
        );
      }
      validatePeriod(q.MetricStat.Period, `${at}.MetricStat.Period`);
      return { query: q, metricStat: q.MetricStat };
    });
    let offset = 0;
    if (input.NextToken !== undefined) {
      try {
        offset = decodeToken(input.NextToken, ["number"])![0] as number;
      } catch {
        throw new EcsError("InvalidNextToken", "The parameter NextToken is not valid.");
      }
    }
    const source = postgresMetricSource(ctx.db);
    const ascending = input.ScanBy === "TimestampAscending";
    const answered: { id: string; label: string; points: SeriesPoint[] }[] = [];
    for (const { query, metricStat } of stats) {
      if (query.ReturnData === false) continue;
      const points = await source.series({
        metric: metricIdOf(metricStat.Metric),
        stat: metricStat.Stat,
        period: metricStat.Period,
        start: input.StartTime,
        end: input.EndTime,
        ...(metricStat.Unit === undefined ? {} : { unit: metricStat.Unit }),
      });
      if (!ascending) points.reverse();
      answered.push({ id: query.Id, label: query.Label ?? metricStat.Metric.MetricName, points });
    }
    // One page: the datapoints from `offset` on, across the queries in order.
    const pageEnd = offset + maxDatapoints;
    let seen = 0;
    const results = answered.map((a) => {
      const from = Math.max(0, offset - seen);
      const to = Math.max(0, Math.min(a.points.length, pageEnd - seen));
      const shown = from < to ? a.points.slice(from, to) : [];
      const complete = seen + a.points.length <= pageEnd;
      seen += a.points.length;
      return {
        Id: a.id,
        Label: a.label,
        Timestamps: shown.map((p) => p.timestamp),
        Values: shown.map((p) => p.value),
        StatusCode: complete ? "Complete" : "PartialData",
      };
    });
    return {
      MetricDataResults: results,
      Messages: [],
      ...(seen > pageEnd ? { NextToken: encodeToken([pageEnd]) } : {}),
    };
  },
});
