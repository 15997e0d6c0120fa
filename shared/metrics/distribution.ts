/**
 * A value distribution: distinct values (ascending) with how many samples had
 * each. PutMetricData's `Values`/`Counts` arrive as one; roll-ups merge them.
 */
export interface Distribution {
  readonly values: readonly number[];
  readonly counts: readonly number[];
}

/**
 * How many buckets a rolled-up row keeps. Roll-ups merge the distributions of
 * many rows and, past this size, compress them into equal-count buckets, each
 * represented by its samples' count-weighted mean; the smallest and largest
 * values are kept exactly. A percentile read from a compressed distribution is
 * therefore off by at most one bucket: the value returned lies among the
 * samples whose rank is within 1/MAX_DISTRIBUTION_BUCKETS of the one asked for.
 */
export const MAX_DISTRIBUTION_BUCKETS = 128;

/** Merges distributions exactly: equal values add their counts; values ascend. */
export const mergeDistributions = (parts: readonly Distribution[]): Distribution => {
  const byValue = new Map<number, number>();
  for (const part of parts) {
    part.values.forEach((v, i) => {
      const c = part.counts[i] ?? 1;
      if (c > 0) byValue.set(v, (byValue.get(v) ?? 0) + c);
    });
  }
  const values = [...byValue.keys()].sort((a, b) => a - b);
  return { values, counts: values.map((v) => byValue.get(v)!) };
};

/** Bounds a (merged, ascending) distribution to `max` buckets; see MAX_DISTRIBUTION_BUCKETS. */
export const compressDistribution = (
  d: Distribution,
  max: number = MAX_DISTRIBUTION_BUCKETS,
): Distribution => {
  const n = d.values.length;
  if (n <= max) return d;
  const total = d.counts.reduce((a, b) => a + b, 0);
  const values: number[] = [d.values[0]!];
  const counts: number[] = [d.counts[0]!];
  // The inner buckets share the samples between the exact minimum and maximum.
  const inner = max - 2;
  const target = (total - d.counts[0]! - d.counts[n - 1]!) / inner;
  let sum = 0;
  let count = 0;
  for (let i = 1; i < n - 1; i++) {
    const c = d.counts[i]!;
    sum += d.values[i]! * c;
    count += c;
    if (count >= target && values.length < max - 1) {
      values.push(sum / count);
      counts.push(count);
      sum = 0;
      count = 0;
    }
  }
  if (count > 0) {
    values.push(sum / count);
    counts.push(count);
  }
  values.push(d.values[n - 1]!);
  counts.push(d.counts[n - 1]!);
  return { values, counts };
};

/**
 * The nearest-rank percentile: the smallest value with at least p % of the
 * samples at or below it. `p` is 0–100; p0 is the minimum and p100 the maximum.
 */
export const percentileOf = (d: Distribution, p: number): number | undefined => {
  if (d.values.length === 0) return undefined;
  const total = d.counts.reduce((a, b) => a + b, 0);
  if (!(total > 0)) return undefined;
  const rank = (p / 100) * total;
  let seen = 0;
  for (let i = 0; i < d.values.length; i++) {
    seen += d.counts[i]!;
    if (seen >= rank && seen > 0) return d.values[i]!;
  }
  return d.values[d.values.length - 1]!;
};
