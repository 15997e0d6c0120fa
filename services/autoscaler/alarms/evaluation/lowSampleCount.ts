/**
 * Percentiles over too few samples (EvaluateLowSampleCountPercentile). As
 * CloudWatch documents it: for a percentile p in [0.5, 1) a period is
 * statistically insignificant with fewer than 10 / (1 − p) samples (1000 for
 * p99); for p in (0, 0.5), fewer than 10 / p. With `ignore`, the alarm keeps
 * its state while an evaluated datapoint is insignificant; with `evaluate`
 * (the default) such datapoints count like any other.
 */
export const minimumSignificantSamples = (extendedStatistic: string): number => {
  // In percent, so that p90 needs exactly 100 samples (no binary fraction error).
  const pct = Number(extendedStatistic.slice(1));
  if (!(pct > 0) || pct >= 100) return 0;
  return pct >= 50 ? 1000 / (100 - pct) : 1000 / pct;
};

export const isLowSampleCount = (extendedStatistic: string, sampleCount: number): boolean =>
  sampleCount < minimumSignificantSamples(extendedStatistic);
