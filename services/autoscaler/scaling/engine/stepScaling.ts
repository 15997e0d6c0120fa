import type {
  AdjustmentType,
  StepAdjustment,
} from "../../../../shared/domain/scaling/scalingPolicyConfiguration.js";

/**
 * The step whose interval holds the breach (metric − threshold). AWS's rule:
 * above the threshold (breach ≥ 0) the lower bound is inclusive and the upper
 * exclusive; below it the lower bound is exclusive and the upper inclusive.
 * A missing bound is infinite.
 */
export const findStepAdjustment = (
  steps: readonly StepAdjustment[],
  breach: number,
): StepAdjustment | undefined =>
  steps.find((s) => {
    const lower = s.MetricIntervalLowerBound ?? -Infinity;
    const upper = s.MetricIntervalUpperBound ?? Infinity;
    return breach >= 0 ? lower <= breach && breach < upper : lower < breach && breach <= upper;
  });

/**
 * A percent change in tasks: rounded toward zero, but never to zero (0.5 → 1,
 * −0.5 → −1), then at least MinAdjustmentMagnitude tasks either way.
 */
export const percentChange = (
  currentCapacity: number,
  percent: number,
  minAdjustmentMagnitude?: number,
): number => {
  const raw = (currentCapacity * percent) / 100;
  if (raw === 0) return 0;
  let change = raw > 0 ? Math.max(1, Math.floor(raw)) : Math.min(-1, Math.ceil(raw));
  if (minAdjustmentMagnitude !== undefined && Math.abs(change) < minAdjustmentMagnitude) {
    change = Math.sign(change) * minAdjustmentMagnitude;
  }
  return change;
};

/** The capacity a step asks for, from a base capacity (not yet clamped). */
export const applyAdjustment = (
  type: AdjustmentType,
  adjustment: number,
  base: number,
  minAdjustmentMagnitude?: number,
): number => {
  switch (type) {
    case "ChangeInCapacity":
      return base + adjustment;
    case "PercentChangeInCapacity":
      return base + percentChange(base, adjustment, minAdjustmentMagnitude);
    case "ExactCapacity":
      return adjustment;
    default: {
      const never: never = type;
      throw new Error(`unknown adjustment type ${String(never)}`);
    }
  }
};
