import { sql, type Kysely } from "kysely";
import type { Database } from "../../db/index.js";
import type { Dimension, MetricId } from "../metricSource.js";

export interface ListMetricsQuery {
  readonly namespace?: string | undefined;
  readonly metricName?: string | undefined;
  /** Each named dimension must be present, with this value when one is given. */
  readonly dimensions?: readonly { name: string; value?: string | undefined }[] | undefined;
  /** Only metrics that received data at or after this time. */
  readonly activeSince: Date;
  /** The last series id of the previous page. */
  readonly after?: number | undefined;
  readonly limit: number;
}

export interface ListedMetric extends MetricId {
  readonly seriesId: number;
}

/** Metrics matching the filters, in series-id order (stable under inserts for paging). */
export const listMetrics = async (
  db: Kysely<Database>,
  query: ListMetricsQuery,
): Promise<ListedMetric[]> => {
  const filters = [sql`last_seen >= ${query.activeSince}`];
  if (query.namespace !== undefined) filters.push(sql`namespace = ${query.namespace}`);
  if (query.metricName !== undefined) filters.push(sql`metric_name = ${query.metricName}`);
  for (const d of query.dimensions ?? []) {
    const probe = JSON.stringify([d.value === undefined ? { name: d.name } : d]);
    filters.push(sql`dimensions @> ${probe}::jsonb`);
  }
  if (query.after !== undefined) filters.push(sql`series_id > ${query.after}`);
  const rows = await sql<{
    series_id: number;
    namespace: string;
    metric_name: string;
    dimensions: Dimension[];
  }>`
    SELECT series_id, namespace, metric_name, dimensions FROM metric_series
     WHERE ${sql.join(filters, sql` AND `)}
     ORDER BY series_id LIMIT ${query.limit}`.execute(db);
  return rows.rows.map((r) => ({
    seriesId: Number(r.series_id),
    namespace: r.namespace,
    metricName: r.metric_name,
    dimensions: r.dimensions,
  }));
};
