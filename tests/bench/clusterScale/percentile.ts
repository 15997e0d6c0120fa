/** The p-th percentile (nearest rank) of values; 0 for none. */
export const percentile = (values: readonly number[], p: number): number => {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[
    Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))
  ]!;
};

/** Rounded to one decimal. */
export const round1 = (n: number): number => Math.round(n * 10) / 10;
