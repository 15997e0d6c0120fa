import { ceilCapacity, clampCapacity } from "./capacity.js";

/**
 * Target tracking's capacity: the tasks that ran in the measured period,
 * times the metric over the target, rounded up, within [min, max]. A metric
 * at the target keeps the capacity; twice the target doubles it.
 */
export const targetTrackingCapacity = (input: {
  readonly runningTasks: number;
  readonly metricValue: number;
  readonly targetValue: number;
  readonly minCapacity: number;
  readonly maxCapacity: number;
}): number => {
  const { runningTasks, metricValue, targetValue, minCapacity, maxCapacity } = input;
  if (targetValue <= 0) return clampCapacity(runningTasks, minCapacity, maxCapacity);
  const raw = ceilCapacity((runningTasks * Math.max(0, metricValue)) / targetValue);
  return clampCapacity(raw, minCapacity, maxCapacity);
};
