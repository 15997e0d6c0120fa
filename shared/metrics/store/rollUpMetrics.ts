import { sql, type Kysely } from "kysely";
import type { Database } from "../../db/index.js";
import { compressDistribution } from "../distribution.js";
import { combineAggregates, type Aggregate } from "../statistics.js";
import { alignDown, ROLLUP_MARGIN_SECONDS, tierOf, TIERS, type Tier } from "../tiers.js";
import { ensurePartition } from "./ensurePartition.js";
import { appendDatapoints, type DatapointRow } from "./insertMetricData.js";

export interface RollUpResult {
  readonly granularity: number;
  /** Rows read from this granularity and rows written to the next. */
  readonly read: number;
  readonly written: number;
  readonly rolledUntil: Date;
}

/** A timestamptz that may be ±infinity (node-pg gives those as numbers or strings). */
const asDate = (v: unknown): Date | undefined =>
  v instanceof Date && !Number.isNaN(v.getTime()) ? v : undefined;

/**
 * Rolls each granularity up into the next as its data nears the end of its
 * retention (1 s → 1 min after 3 h, 1 min → 5 min after 15 days, 5 min → 1 h
 * after 63 days): per series, unit and coarser period, one row with the
 * samples' count, sum, min, max and their merged distribution, bounded to
 * MAX_DISTRIBUTION_BUCKETS. Each chunk of time is one transaction that holds
 * the granularity's mark row, writes the rolled rows and moves the mark, so
 * replicas never roll the same rows twice and readers see either the fine
 * rows or the rolled ones, never both.
 */
export const rollUpMetrics = async (db: Kysely<Database>, now: Date): Promise<RollUpResult[]> => {
  const results: RollUpResult[] = [];
  for (const tier of TIERS) {
    if (tier.next === undefined) continue;
    results.push(await rollUpTier(db, tier, tierOf(tier.next), now));
  }
  return results;
};

const rollUpTier = async (
  db: Kysely<Database>,
  tier: Tier,
  next: Tier,
  now: Date,
): Promise<RollUpResult> => {
  const target = alignDown(
    new Date(now.getTime() - (tier.retentionSeconds + ROLLUP_MARGIN_SECONDS) * 1000),
    next.granularity,
  );
  const chunkMs = (tier.rollupChunkSeconds ?? next.granularity) * 1000;
  let read = 0;
  let written = 0;
  let rolledUntil: Date;
  for (;;) {
    const step = await db.transaction().execute(async (trx) => {
      const markRow = await sql<{ rolled_until: unknown }>`
        SELECT rolled_until FROM metric_rollups WHERE granularity = ${tier.granularity} FOR UPDATE`.execute(
        trx,
      );
      const mark = asDate(markRow.rows[0]?.rolled_until);
      if (mark !== undefined && mark.getTime() >= target.getTime()) {
        return { done: true, until: mark, read: 0, written: 0 };
      }
      // Skip time without rows (a first run, or an idle spell) in one step.
      const firstRow = await sql<{ ts: Date | null }>`
        SELECT min(ts) AS ts FROM metric_datapoints
         WHERE granularity = ${tier.granularity} AND ts < ${target}
           ${mark === undefined ? sql`` : sql`AND ts >= ${mark}`}`.execute(trx);
      const oldest = firstRow.rows[0]?.ts;
      if (!oldest) {
        await sql`UPDATE metric_rollups SET rolled_until = ${target} WHERE granularity = ${tier.granularity}`.execute(
          trx,
        );
        return { done: true, until: target, read: 0, written: 0 };
      }
      const from = alignDown(oldest, next.granularity);
      const until = new Date(Math.min(from.getTime() + chunkMs, target.getTime()));
      const rows = await sql<{
        series_id: number;
        unit: string;
        ts: Date;
        storage_resolution: number;
        sample_count: number;
        sum: number;
        min: number;
        max: number;
        vals: number[] | null;
        counts: number[] | null;
      }>`
        SELECT series_id, unit, ts, storage_resolution, sample_count, sum, min, max, vals, counts
          FROM metric_datapoints
         WHERE granularity = ${tier.granularity} AND ts >= ${from} AND ts < ${until}`.execute(trx);
      const groups = new Map<
        string,
        { seriesId: number; unit: string; ts: Date; resolution: number; parts: Aggregate[] }
      >();
      for (const r of rows.rows) {
        const ts = alignDown(r.ts, next.granularity);
        const key = `${r.series_id}|${r.unit}|${ts.getTime()}`;
        let g = groups.get(key);
        if (!g) {
          g = { seriesId: Number(r.series_id), unit: r.unit, ts, resolution: 60, parts: [] };
          groups.set(key, g);
        }
        g.resolution = Math.min(g.resolution, Number(r.storage_resolution));
        g.parts.push({
          sampleCount: Number(r.sample_count),
          sum: Number(r.sum),
          minimum: Number(r.min),
          maximum: Number(r.max),
          distribution: r.vals && r.counts ? { values: r.vals, counts: r.counts } : undefined,
        });
      }
      const out: DatapointRow[] = [];
      const partitions = new Map<string, Date>();
      for (const g of groups.values()) {
        const agg = combineAggregates(g.parts);
        const dist = agg.distribution ? compressDistribution(agg.distribution) : undefined;
        partitions.set(String(g.ts.getTime()), g.ts);
        out.push({
          series_id: g.seriesId,
          granularity: next.granularity,
          ts: g.ts.toISOString(),
          storage_resolution: g.resolution,
          unit: g.unit,
          sample_count: agg.sampleCount,
          sum: agg.sum,
          min: agg.minimum,
          max: agg.maximum,
          vals: dist ? dist.values : null,
          counts: dist ? dist.counts : null,
        });
      }
      for (const t of partitions.values()) await ensurePartition(trx, next, t);
      for (let i = 0; i < out.length; i += 1000)
        await appendDatapoints(trx, out.slice(i, i + 1000));
      await sql`UPDATE metric_rollups SET rolled_until = ${until} WHERE granularity = ${tier.granularity}`.execute(
        trx,
      );
      return {
        done: until.getTime() >= target.getTime(),
        until,
        read: rows.rows.length,
        written: out.length,
      };
    });
    read += step.read;
    written += step.written;
    rolledUntil = step.until;
    if (step.done) break;
  }
  return { granularity: tier.granularity, read, written, rolledUntil };
};
