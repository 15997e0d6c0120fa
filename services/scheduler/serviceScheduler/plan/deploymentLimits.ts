import type { DeploymentConfiguration } from "../../../../shared/events/index.js";

/** Integer ceiling of a / b for non-negative integers, free of floating-point error. */
const ceilDiv = (a: number, b: number): number => Math.floor((a + b - 1) / b);

export interface DeploymentLimits {
  /** Tasks that must stay healthy: ceil(desired × minimumHealthyPercent / 100). */
  readonly minHealthy: number;
  /** Tasks that may be running or pending at once: floor(desired × maximumPercent / 100). */
  readonly maxTotal: number;
}

/**
 * ECS's rolling-update arithmetic. The healthy floor rounds up and the
 * ceiling rounds down, so neither is ever exceeded: desired 2 at 75 % keeps
 * both tasks (ceil 1.5 = 2); desired 3 at 125 % allows no fourth (floor 3.75 = 3).
 */
export const deploymentLimits = (
  desiredCount: number,
  config: Pick<DeploymentConfiguration, "minimumHealthyPercent" | "maximumPercent">,
): DeploymentLimits => ({
  minHealthy: ceilDiv(desiredCount * config.minimumHealthyPercent, 100),
  maxTotal: Math.floor((desiredCount * config.maximumPercent) / 100),
});
