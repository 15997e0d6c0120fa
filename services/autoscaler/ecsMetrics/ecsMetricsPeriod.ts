/**
 * The period the autoscaler publishes `AWS/ECS` utilisation at: 10 s or 30 s
 * (high resolution) or a multiple of 60 s, as CloudWatch allows for periods.
 * A collection round is a slice of the period; rounds divide it exactly.
 */
export const isValidEcsMetricsPeriod = (seconds: number): boolean =>
  Number.isInteger(seconds) &&
  (seconds === 10 || seconds === 30 || (seconds > 0 && seconds % 60 === 0));

/** StorageResolution 1 (high resolution) below a minute, 60 otherwise. */
export const storageResolutionOf = (periodSeconds: number): 1 | 60 => (periodSeconds < 60 ? 1 : 60);

/** The start of the aligned slice of `lengthMs` that holds `atMs` (aligned since the epoch). */
export const alignDown = (atMs: number, lengthMs: number): number =>
  Math.floor(atMs / lengthMs) * lengthMs;

/** The first slice boundary strictly after `atMs`. */
export const nextBoundary = (atMs: number, lengthMs: number): number =>
  alignDown(atMs, lengthMs) + lengthMs;
