import { isFailure, isHealthy } from "./taskHealth.js";
import type { ServiceTask } from "./types.js";

/** ECS's failure threshold: 0.5 × desired, at least 3, at most 200. */
export const circuitBreakerThreshold = (desiredCount: number): number =>
  Math.min(200, Math.max(3, Math.ceil(0.5 * desiredCount)));

/**
 * The deployment's failed tasks that count: those that failed after its most
 * recent healthy task started (a healthy task resets the count, ECS's
 * resetOnHealthyTask default).
 */
export const countedFailures = (
  deploymentId: string,
  tasks: readonly ServiceTask[],
  healthChecked: ReadonlySet<string>,
): number => {
  const own = tasks.filter((t) => t.deploymentId === deploymentId);
  const resetAt = Math.max(
    -Infinity,
    ...own.filter((t) => isHealthy(t, healthChecked)).map((t) => t.startedAt ?? -Infinity),
  );
  return own.filter((t) => isFailure(t) && (t.stoppedAt ?? Infinity) > resetAt).length;
};
