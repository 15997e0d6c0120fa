import { failedToStart } from "./taskHealth.js";
import type { ServiceSchedulerSettings, ServiceTask } from "./types.js";

export interface ThrottleState {
  /** Tasks of the deployment that stopped before RUNNING, since the last that ran. */
  readonly consecutiveFailures: number;
  /** No launch before this (epoch seconds); 0 when not throttled. */
  readonly until: number;
  readonly delaySeconds: number;
}

/**
 * ECS's service throttle: tasks that keep stopping before they reach RUNNING
 * are relaunched after an exponentially growing delay (capped), counted from
 * the last failure. A task that reached RUNNING ends the streak; a new
 * deployment starts a fresh one.
 */
export const throttleState = (
  deploymentId: string,
  tasks: readonly ServiceTask[],
  settings: ServiceSchedulerSettings,
): ThrottleState => {
  const own = tasks
    .filter((t) => t.deploymentId === deploymentId)
    .sort((a, b) => b.createdAt - a.createdAt);
  let streak = 0;
  let lastFailureAt = 0;
  for (const t of own) {
    if (t.lastStatus !== "STOPPED") {
      // A task that reached RUNNING ends the streak; one still starting does not count yet.
      if (t.startedAt !== undefined) break;
      continue;
    }
    if (!failedToStart(t)) break;
    streak++;
    lastFailureAt = Math.max(lastFailureAt, t.stoppedAt ?? t.createdAt);
  }
  if (streak < settings.throttleAfterFailures) {
    return { consecutiveFailures: streak, until: 0, delaySeconds: 0 };
  }
  const delaySeconds = Math.min(
    settings.throttleMaxSeconds,
    settings.throttleBaseSeconds * 2 ** (streak - settings.throttleAfterFailures),
  );
  return { consecutiveFailures: streak, until: lastFailureAt + delaySeconds, delaySeconds };
};
