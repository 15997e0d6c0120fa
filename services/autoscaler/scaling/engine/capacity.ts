/** A capacity kept within the scalable target's [min, max]. */
export const clampCapacity = (capacity: number, min: number, max: number): number =>
  Math.min(max, Math.max(min, capacity));

/** Floating point noise (0.7 / 0.7 × 3 = 3.0000000000000004) must not add a task. */
const EPSILON = 1e-9;

export const ceilCapacity = (value: number): number => Math.ceil(value - EPSILON);
