import { sql, type Kysely } from "kysely";
import type { Database } from "../../db/index.js";
import { canonicalDimensions } from "../dimensions.js";
import type { Distribution } from "../distribution.js";
import type { PeriodAggregate, StatisticsQuery } from "../statisticsQuery.js";
import { alignDown } from "../tiers.js";

/**
 * The samples of one metric per period (and per unit, if asked), from every
 * granularity: rows a roll-up has already covered are skipped (their rolled-up
 * copy is read instead), and granularities coarser than a minute are read only
 * when the period is a multiple of them — as CloudWatch returns nothing for,
 * say, 1-minute periods over data older than 15 days.
 */
export const metricAggregates = async (
  db: Kysely<Database>,
  query: StatisticsQuery,
): Promise<PeriodAggregate[]> => {
  const period = query.period;
  const start = alignDown(query.start, period);
  const dims = JSON.stringify(canonicalDimensions(query.metric.dimensions));
  const unitColumn = query.byUnit ? sql`d.unit` : sql`''::text`;
  const rows = sql`
    SELECT to_timestamp(floor(extract(epoch FROM p.ts) / ${period}) * ${period}) AS bucket,
           p.unit, p.sample_count, p.sum, p.min, p.max, p.vals, p.counts
      FROM metric_datapoints p
      LEFT JOIN metric_rollups r ON r.granularity = p.granularity
     WHERE p.series_id = (
             SELECT series_id FROM metric_series
              WHERE namespace = ${query.metric.namespace}
                AND metric_name = ${query.metric.metricName}
                AND md5(dimensions::text) = md5(${dims}::jsonb::text)
                AND dimensions = ${dims}::jsonb)
       AND p.ts >= ${start} AND p.ts < ${query.end}
       AND (r.rolled_until IS NULL OR p.ts >= r.rolled_until)
       AND (p.granularity <= 60 OR ${period}::integer % p.granularity = 0)
       ${query.unit === undefined ? sql`` : sql`AND p.unit = ${query.unit}`}`;
  const totals = await sql<{
    bucket: Date;
    unit: string;
    sample_count: number;
    sum: number;
    min: number;
    max: number;
    complete: boolean;
  }>`
    WITH d AS (${rows})
    SELECT d.bucket, ${unitColumn} AS unit, sum(d.sample_count) AS sample_count, sum(d.sum) AS sum,
           min(d.min) AS min, max(d.max) AS max, bool_and(d.vals IS NOT NULL) AS complete
      FROM d GROUP BY 1, 2 ORDER BY 1, 2`.execute(db);
  const distributions = new Map<string, { values: number[]; counts: number[] }>();
  if (query.withDistribution && totals.rows.some((r) => r.complete)) {
    const values = await sql<{ bucket: Date; unit: string; v: number; c: number }>`
      WITH d AS (${rows})
      SELECT d.bucket, ${unitColumn} AS unit, u.v, sum(u.c) AS c
        FROM d CROSS JOIN LATERAL unnest(d.vals, d.counts) AS u(v, c)
       WHERE d.vals IS NOT NULL
       GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`.execute(db);
    for (const r of values.rows) {
      const key = `${r.bucket.getTime()}|${r.unit}`;
      let d = distributions.get(key);
      if (!d) distributions.set(key, (d = { values: [], counts: [] }));
      d.values.push(Number(r.v));
      d.counts.push(Number(r.c));
    }
  }
  return totals.rows.map((r) => {
    const distribution: Distribution | undefined =
      query.withDistribution && r.complete
        ? (distributions.get(`${r.bucket.getTime()}|${r.unit}`) ?? { values: [], counts: [] })
        : undefined;
    return {
      timestamp: r.bucket,
      ...(query.byUnit ? { unit: r.unit } : query.unit === undefined ? {} : { unit: query.unit }),
      aggregate: {
        sampleCount: Number(r.sample_count),
        sum: Number(r.sum),
        minimum: Number(r.min),
        maximum: Number(r.max),
        distribution,
      },
    };
  });
};
