/**
 * The metric store's granularities, as CloudWatch keeps data: under 60 s for
 * 3 hours, 1 minute for 15 days, 5 minutes for 63 days, 1 hour for 455 days.
 * Each granularity's rows live in time partitions `partitionSeconds` wide
 * (aligned to the epoch) that are dropped whole once rolled up and expired.
 */
export interface Tier {
  readonly granularity: 1 | 60 | 300 | 3600;
  readonly retentionSeconds: number;
  readonly partitionSeconds: number;
  /** The granularity this one rolls up into, if any. */
  readonly next?: 60 | 300 | 3600;
  /** How much time one roll-up transaction covers (a multiple of `next`). */
  readonly rollupChunkSeconds?: number;
}

const HOUR = 3600;
const DAY = 86_400;

export const TIERS: readonly Tier[] = [
  {
    granularity: 1,
    retentionSeconds: 3 * HOUR,
    partitionSeconds: HOUR,
    next: 60,
    rollupChunkSeconds: 600,
  },
  {
    granularity: 60,
    retentionSeconds: 15 * DAY,
    partitionSeconds: DAY,
    next: 300,
    rollupChunkSeconds: DAY,
  },
  {
    granularity: 300,
    retentionSeconds: 63 * DAY,
    partitionSeconds: 7 * DAY,
    next: 3600,
    rollupChunkSeconds: 7 * DAY,
  },
  { granularity: 3600, retentionSeconds: 455 * DAY, partitionSeconds: 30 * DAY },
];

export const tierOf = (granularity: number): Tier => {
  const tier = TIERS.find((t) => t.granularity === granularity);
  if (!tier) throw new Error(`no metric tier of granularity ${granularity}`);
  return tier;
};

/**
 * Roll-ups stay this far behind the retention edge, so an ingest that chose
 * its granularity just before a roll-up still lands after the roll-up's mark.
 */
export const ROLLUP_MARGIN_SECONDS = 600;

/**
 * Where a datum is stored: the finest granularity at or above its storage
 * resolution whose retention still covers its timestamp.
 */
export const ingestTier = (storageResolution: 1 | 60, timestamp: Date, receivedAt: Date): Tier => {
  const age = (receivedAt.getTime() - timestamp.getTime()) / 1000;
  for (const tier of TIERS) {
    if (tier.granularity < storageResolution) continue;
    if (age <= tier.retentionSeconds) return tier;
  }
  return TIERS[TIERS.length - 1]!;
};

/** The start of the `seconds`-wide window (aligned to the epoch) that holds `t`. */
export const alignDown = (t: Date, seconds: number): Date =>
  new Date(Math.floor(t.getTime() / 1000 / seconds) * seconds * 1000);

/** The partition of a granularity holding `t`: its table name and range. */
export const partitionOf = (tier: Tier, t: Date): { name: string; from: Date; to: Date } => {
  const from = alignDown(t, tier.partitionSeconds);
  const to = new Date(from.getTime() + tier.partitionSeconds * 1000);
  const stamp = from.toISOString().slice(0, 13).replace(/[-T]/g, "");
  return { name: `metric_datapoints_${tier.granularity}_${stamp}`, from, to };
};

/** A partition's start from its name (`metric_datapoints_60_2026112600`), if it is one of ours. */
export const partitionStartOf = (name: string): Date | undefined => {
  const m = /^metric_datapoints_\d+_(\d{4})(\d{2})(\d{2})(\d{2})$/.exec(name);
  if (!m) return undefined;
  return new Date(`${m[1]}-${m[2]}-${m[3]}T${m[4]}:00:00Z`);
};
