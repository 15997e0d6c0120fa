import { sql, type Kysely } from "kysely";
import type { Database } from "../../db/index.js";
import { canonicalDimensions, metricKey } from "../dimensions.js";
import { MetricDatum, type MetricDatumInput } from "../metricDatum.js";
import type { Dimension } from "../metricSource.js";
import { aggregateOfDatum } from "../statistics.js";
import { alignDown, ingestTier } from "../tiers.js";
import { ensurePartition, forgetPartitions } from "./ensurePartition.js";

interface SeriesKey {
  readonly key: string;
  readonly metricName: string;
  readonly dimensions: Dimension[];
}

/** Rows older than this are marked seen again; fresher ones are left alone (no write per put). */
const LAST_SEEN_RESOLUTION = "1 minute";

/**
 * Finds or creates the series of a namespace's metrics and returns their ids.
 * In canonical order, so concurrent writers of the same metrics lock alike.
 */
export const upsertSeries = async (
  db: Kysely<Database>,
  namespace: string,
  series: readonly SeriesKey[],
  now: Date,
): Promise<Map<string, number>> => {
  const ids = new Map<string, number>();
  let missing = [...series].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  // A metric a concurrent transaction created after this statement's snapshot is neither
  // inserted nor visible here; the next statement sees it.
  for (let attempt = 0; attempt < 3 && missing.length > 0; attempt++) {
    const input = JSON.stringify(missing.map((s) => ({ name: s.metricName, dims: s.dimensions })));
    const rows = await sql<{ series_id: number; metric_name: string; dimensions: Dimension[] }>`
      WITH input AS (
        SELECT name, dims FROM jsonb_to_recordset(${input}::jsonb) AS x(name text, dims jsonb)
      ),
      inserted AS (
        INSERT INTO metric_series (namespace, metric_name, dimensions, created_at, last_seen)
        SELECT ${namespace}, name, dims, ${now}, ${now} FROM input
        ON CONFLICT (namespace, metric_name, md5(dimensions::text)) DO NOTHING
        RETURNING series_id, metric_name, dimensions
      ),
      -- Rows another writer holds are being marked by it: skip them, never wait (no deadlock).
      seen AS (
        UPDATE metric_series SET last_seen = ${now}
         WHERE series_id IN (
           SELECT m.series_id FROM metric_series m JOIN input i
               ON m.namespace = ${namespace} AND m.metric_name = i.name
              AND md5(m.dimensions::text) = md5(i.dims::text) AND m.dimensions = i.dims
            WHERE m.last_seen < ${now}::timestamptz - ${LAST_SEEN_RESOLUTION}::interval
              FOR UPDATE OF m SKIP LOCKED)
      )
      SELECT series_id, metric_name, dimensions FROM inserted
      UNION ALL
      SELECT m.series_id, m.metric_name, m.dimensions
        FROM metric_series m JOIN input i
          ON m.namespace = ${namespace} AND m.metric_name = i.name
         AND md5(m.dimensions::text) = md5(i.dims::text) AND m.dimensions = i.dims`.execute(db);
    for (const r of rows.rows) {
      ids.set(metricKey(namespace, r.metric_name, r.dimensions), Number(r.series_id));
    }
    missing = missing.filter((s) => !ids.has(s.key));
  }
  if (missing.length > 0) throw new Error(`could not store ${missing.length} metric series`);
  return ids;
};

/** A stored row, as jsonb_to_recordset reads it. */
interface DatapointRow {
  series_id: number;
  granularity: number;
  ts: string;
  storage_resolution: number;
  unit: string;
  sample_count: number;
  sum: number;
  min: number;
  max: number;
  vals: readonly number[] | null;
  counts: readonly number[] | null;
}

/** Appends rows to metric_datapoints (their partitions must exist). */
export const appendDatapoints = async (
  db: Kysely<Database>,
  rows: readonly DatapointRow[],
): Promise<void> => {
  if (rows.length === 0) return;
  await sql`
    INSERT INTO metric_datapoints
      (series_id, granularity, ts, storage_resolution, unit, sample_count, sum, min, max, vals, counts)
    SELECT series_id, granularity, ts, storage_resolution, unit, sample_count, sum, min, max, vals, counts
      FROM jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) AS x(
        series_id bigint, granularity integer, ts timestamptz, storage_resolution smallint,
        unit text, sample_count double precision, sum double precision, min double precision,
        max double precision, vals double precision[], counts double precision[])`.execute(db);
};

export type { DatapointRow };

/** Postgres' "no partition of relation found for row". */
const NO_PARTITION = "23514";

/**
 * Stores a namespace's datums as they arrived at `receivedAt`: finds or
 * creates each metric's series, then appends one row per datum to the
 * granularity its storage resolution and age call for (1 s for
 * high-resolution data under 3 hours old, else 1 min), creating the time
 * partitions it needs. Validation is the caller's (validateMetricData): the
 * autoscaler's own ECS metrics come in-process, PutMetricData through its
 * command. Datums without samples are skipped.
 */
export const insertMetricData = async (
  db: Kysely<Database>,
  namespace: string,
  datums: readonly MetricDatumInput[],
  receivedAt: Date,
): Promise<{ datapoints: number }> => {
  const parsed = datums.map((d) => MetricDatum.parse(d));
  const series = new Map<string, SeriesKey>();
  for (const d of parsed) {
    const dimensions = canonicalDimensions(d.dimensions);
    const key = metricKey(namespace, d.metricName, dimensions);
    if (!series.has(key)) series.set(key, { key, metricName: d.metricName, dimensions });
  }
  const ids = await upsertSeries(db, namespace, [...series.values()], receivedAt);
  const rows: DatapointRow[] = [];
  const partitions = new Map<string, { tier: ReturnType<typeof ingestTier>; t: Date }>();
  for (const d of parsed) {
    const agg = aggregateOfDatum(d);
    if (!(agg.sampleCount > 0)) continue;
    const tier = ingestTier(d.storageResolution, d.timestamp, receivedAt);
    const ts = alignDown(d.timestamp, tier.granularity);
    partitions.set(`${tier.granularity}:${ts.getTime()}`, { tier, t: ts });
    rows.push({
      series_id: ids.get(metricKey(namespace, d.metricName, d.dimensions))!,
      granularity: tier.granularity,
      ts: ts.toISOString(),
      storage_resolution: d.storageResolution,
      unit: d.unit,
      sample_count: agg.sampleCount,
      sum: agg.sum,
      min: agg.minimum,
      max: agg.maximum,
      vals: agg.distribution ? agg.distribution.values : null,
      counts: agg.distribution ? agg.distribution.counts : null,
    });
  }
  const ensureAll = async () => {
    for (const { tier, t } of partitions.values()) await ensurePartition(db, tier, t);
  };
  await ensureAll();
  try {
    await appendDatapoints(db, rows);
  } catch (err) {
    if ((err as { code?: string }).code !== NO_PARTITION) throw err;
    // Another process dropped a partition this one remembered: look again.
    forgetPartitions(db);
    await ensureAll();
    await appendDatapoints(db, rows);
  }
  return { datapoints: rows.length };
};
