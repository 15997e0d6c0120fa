import type { InstanceView, ServiceTask } from "./types.js";

/** Desired RUNNING and not yet STOPPED: the task counts toward the service. */
export const isLive = (t: ServiceTask): boolean =>
  t.desiredStatus === "RUNNING" && t.lastStatus !== "STOPPED";

/** Not STOPPED yet, whatever its desired status: it still holds its instance's resources. */
export const isPresent = (t: ServiceTask): boolean => t.lastStatus !== "STOPPED";

/** Its agent is gone (disconnected past grace, or the instance deregistered). */
export const isOnLostInstance = (
  t: ServiceTask,
  instances: ReadonlyMap<string, InstanceView>,
): boolean => {
  const i = instances.get(t.containerInstanceArn);
  return i === undefined || i.status === "INACTIVE" || !i.agentConnected;
};

export const isOnDrainingInstance = (
  t: ServiceTask,
  instances: ReadonlyMap<string, InstanceView>,
): boolean => instances.get(t.containerInstanceArn)?.status === "DRAINING";

/**
 * ECS's healthy: RUNNING and, where an essential container has a health
 * check, HEALTHY.
 */
export const isHealthy = (t: ServiceTask, healthChecked: ReadonlySet<string>): boolean =>
  isLive(t) &&
  t.lastStatus === "RUNNING" &&
  (!healthChecked.has(t.deploymentId) || t.healthStatus === "HEALTHY");

/** UNHEALTHY after the grace period: the scheduler replaces it. */
export const isFailingHealthChecks = (t: ServiceTask, graceSeconds: number, now: number): boolean =>
  isLive(t) &&
  t.lastStatus === "RUNNING" &&
  t.healthStatus === "UNHEALTHY" &&
  (t.startedAt === undefined || now - t.startedAt >= graceSeconds);

/** The stop reason the scheduler records when it stops an unhealthy task. */
export const FAILED_HEALTH_CHECKS = "Task failed container health checks";

/**
 * Stopped on its own (an essential container exited, it failed to start) or
 * by the scheduler for failing health checks; not by a user, a scale-in or a
 * deployment.
 */
export const isFailure = (t: ServiceTask): boolean =>
  t.lastStatus === "STOPPED" &&
  (t.stopCode === "TaskFailedToStart" ||
    t.stopCode === "EssentialContainerExited" ||
    (t.stopCode === "ServiceSchedulerInitiated" && t.stoppedReason === FAILED_HEALTH_CHECKS));

/** Stopped without ever reaching RUNNING (ECS's throttle counts only these). */
export const failedToStart = (t: ServiceTask): boolean =>
  t.lastStatus === "STOPPED" &&
  t.startedAt === undefined &&
  (t.stopCode === "TaskFailedToStart" || t.stopCode === "EssentialContainerExited");
