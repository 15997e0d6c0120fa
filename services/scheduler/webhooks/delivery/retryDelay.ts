/**
 * The wait before the next attempt after `failures` failed attempts in a row
 * (1, 2, …): `base · 2^(failures-1)`, capped at `max`. No jitter: one
 * subscription has one delivery in flight, so there is no herd to spread.
 */
export const retryDelayMs = (failures: number, baseMs: number, maxMs: number): number => {
  if (failures < 1) return 0;
  const exponent = Math.min(failures - 1, 40);
  return Math.min(maxMs, baseMs * 2 ** exponent);
};
