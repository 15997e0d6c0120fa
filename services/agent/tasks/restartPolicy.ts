import type { ContainerDefinition } from "../../../shared/domain/taskDefinition/index.js";
import type { ContainerState } from "../runtime/containerRuntime.js";

/** ECS's default restartAttemptPeriod, in seconds. */
export const DEFAULT_RESTART_ATTEMPT_PERIOD_SECONDS = 300;

/**
 * Whether an exited container is restarted in place (ECS `restartPolicy`): the policy is
 * enabled, the exit code is not ignored, and the container ran at least
 * `restartAttemptPeriod` seconds since its last (re)start. Otherwise the exit counts as a
 * normal exit (and, for an essential container, stops the task).
 */
export const shouldRestart = (
  container: Pick<ContainerDefinition, "restartPolicy">,
  state: ContainerState,
  nowMs: number,
): boolean => {
  const policy = container.restartPolicy;
  if (!policy?.enabled) return false;
  if (state.exitCode !== undefined && (policy.ignoredExitCodes ?? []).includes(state.exitCode)) {
    return false;
  }
  if (state.startedAt === undefined) return false;
  const periodMs = (policy.restartAttemptPeriod ?? DEFAULT_RESTART_ATTEMPT_PERIOD_SECONDS) * 1000;
  const ranMs = (state.finishedAt?.getTime() ?? nowMs) - state.startedAt.getTime();
  return ranMs >= periodMs;
};
