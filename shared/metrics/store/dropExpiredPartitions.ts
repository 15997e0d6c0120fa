import { sql, type Kysely } from "kysely";
import type { Database } from "../../db/index.js";
import { partitionStartOf, TIERS } from "../tiers.js";
import { forgetPartitions } from "./ensurePartition.js";

/** Metrics with no data for this long are forgotten (the longest retention). */
const SERIES_RETENTION_SECONDS = 455 * 86_400;

/**
 * Drops whole time partitions whose data is gone from CloudWatch's view: a
 * granularity that rolls up drops a partition once every row in it has been
 * rolled up (its end is at or before the roll-up mark, which trails the
 * retention edge); the coarsest drops one once it is past its 455 days.
 * Also forgets metrics that have had no data for 455 days.
 */
export const dropExpiredPartitions = async (
  db: Kysely<Database>,
  now: Date,
): Promise<{ dropped: string[]; seriesForgotten: number }> => {
  const marks = await sql<{ granularity: number; rolled_until: unknown }>`
    SELECT granularity, rolled_until FROM metric_rollups`.execute(db);
  const dropped: string[] = [];
  for (const tier of TIERS) {
    let edge: Date | undefined;
    if (tier.next === undefined) {
      edge = new Date(now.getTime() - tier.retentionSeconds * 1000);
    } else {
      const mark = marks.rows.find((m) => Number(m.granularity) === tier.granularity)?.rolled_until;
      edge = mark instanceof Date && !Number.isNaN(mark.getTime()) ? mark : undefined;
    }
    if (!edge) continue;
    const parts = await sql<{ relname: string }>`
      SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
       WHERE i.inhparent = ${`metric_datapoints_${tier.granularity}`}::regclass`.execute(db);
    for (const { relname } of parts.rows) {
      const from = partitionStartOf(relname);
      if (!from) continue;
      const to = from.getTime() + tier.partitionSeconds * 1000;
      if (to <= edge.getTime()) {
        await sql.raw(`DROP TABLE IF EXISTS ${relname}`).execute(db);
        dropped.push(relname);
      }
    }
  }
  forgetPartitions(db, dropped);
  const forgotten = await sql`
    DELETE FROM metric_series
     WHERE last_seen < ${new Date(now.getTime() - SERIES_RETENTION_SECONDS * 1000)}`.execute(db);
  return { dropped: dropped.sort(), seriesForgotten: Number(forgotten.numAffectedRows ?? 0) };
};
