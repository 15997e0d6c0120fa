import type { DomainEvent, ServiceStopReason } from "../../../../shared/events/index.js";
import { primaryDeployment } from "../../ecsServices/serviceState.js";
import { circuitBreakerThreshold, countedFailures } from "./circuitBreaker.js";
import {
  drainedStops,
  splitForDraining,
  targetChanges,
  withTargetHealth,
} from "./loadBalancing.js";
import { planDaemon } from "./planDaemon.js";
import { planReplica } from "./planReplica.js";
import { rolloutEvents } from "./rollout.js";
import {
  FAILED_HEALTH_CHECKS,
  isFailingHealthChecks,
  isLive,
  isOnLostInstance,
} from "./taskHealth.js";
import type { PlanInput, ServicePlan, ServiceTask, StopOrder } from "./types.js";

export { FAILED_HEALTH_CHECKS };

/** What a strategy (replica or daemon) decides for the tasks it may touch. */
export interface StrategyPlan {
  readonly start?: ServicePlan["start"];
  readonly stop: readonly StopOrder[];
  readonly events: readonly DomainEvent[];
  /** The desired count this step worked towards (DAEMON: the eligible instances). */
  readonly desiredCount: number;
}

/**
 * One reconcile step of a service, pure: which tasks to start where, which to
 * stop and why, and which decisions to record. In order:
 *
 * 1. Fencing: live tasks on lost instances are stopped (desiredStatus
 *    STOPPED, so a returning agent stops them) and no longer count.
 * 2. Tasks failing health checks after the grace period are replaced.
 * 3. The circuit breaker: a deployment with too many failed tasks FAILS and,
 *    with rollback, the last COMPLETED one becomes PRIMARY again; the step
 *    ends there so the next one works for the new PRIMARY.
 * 4. The scheduling strategy (REPLICA or DAEMON) starts and stops within the
 *    deployment's minimumHealthyPercent / maximumPercent.
 * 5. Rollout bookkeeping: drained deployments retire, the PRIMARY completes,
 *    the service reaches a steady state, a deleted service goes INACTIVE.
 */
export const planService = (given: PlanInput): ServicePlan => {
  const input = withTargetHealth(given);
  const { service, tasks, instances, now } = input;
  const primary = primaryDeployment(service);
  if (!service.created || !primary || service.status === "NONE" || service.status === "INACTIVE") {
    return { stop: [], events: [] };
  }
  const ids = { clusterName: service.created.clusterName, serviceArn: service.created.serviceArn };
  // Tasks draining out of their target groups are on their way out already.
  const live = tasks.filter((t) => isLive(t) && !service.draining.has(t.taskArn));
  const lost = live.filter((t) => isOnLostInstance(t, instances));
  const grace = service.healthCheckGracePeriodSeconds ?? 0;
  const unhealthy = live.filter((t) => !lost.includes(t) && isFailingHealthChecks(t, grace, now));
  const fenced: StopOrder[] = [
    ...(lost.length > 0 ? [order("instance-lost", lost)] : []),
    ...(unhealthy.length > 0 ? [order("unhealthy", unhealthy)] : []),
  ];
  const gone = new Set([...lost, ...unhealthy].map((t) => t.taskArn));
  const usable = live.filter((t) => !gone.has(t.taskArn));

  const breaker = service.deploymentConfiguration.deploymentCircuitBreaker;
  if (breaker.enable && primary.rolloutState === "IN_PROGRESS" && service.status === "ACTIVE") {
    const failed = countedFailures(primary.id, tasks, input.healthChecked);
    const threshold = circuitBreakerThreshold(service.desiredCount);
    if (failed >= threshold) {
      const back = breaker.rollback ? service.lastCompleted : undefined;
      return {
        ...splitForDraining(input, fenced),
        events: [
          {
            type: "ServiceDeploymentFailed",
            data: {
              ...ids,
              deploymentId: primary.id,
              reason: "tasks failed to start",
              failedTasks: failed,
              ...(back && back.deploymentId !== primary.id
                ? {
                    rollback: {
                      deploymentId: back.deploymentId,
                      taskDefinitionArn: back.taskDefinitionArn,
                    },
                  }
                : {}),
              at: now,
            },
          },
        ],
      };
    }
  }

  const strategy =
    service.schedulingStrategy === "DAEMON"
      ? planDaemon(input, primary, usable)
      : planReplica(input, primary, usable);
  const { stop, drain } = splitForDraining(input, [...fenced, ...strategy.stop]);
  stop.push(...drainedStops(input));
  const { register, deregister } = targetChanges(input, usable);
  const acting =
    stop.length > 0 ||
    drain.length > 0 ||
    register.length > 0 ||
    deregister.length > 0 ||
    (strategy.start?.instances.length ?? 0) > 0;
  // A task ordered to stop is still there until its agent reports it STOPPED;
  // one on a lost instance is fenced and no longer counts.
  const remaining: ServiceTask[] = tasks.filter(
    (t) => t.lastStatus !== "STOPPED" && !isOnLostInstance(t, instances),
  );
  return {
    ...(strategy.start && strategy.start.instances.length > 0 ? { start: strategy.start } : {}),
    stop,
    ...(drain.length > 0 ? { drain } : {}),
    ...(register.length > 0 ? { register } : {}),
    ...(deregister.length > 0 ? { deregister } : {}),
    events: [
      ...strategy.events,
      ...rolloutEvents({
        service,
        primary,
        remaining,
        healthChecked: input.healthChecked,
        desiredCount: strategy.desiredCount,
        acting,
        now,
      }),
    ],
  };
};

export const order = (reason: ServiceStopReason, tasks: readonly ServiceTask[]): StopOrder => ({
  reason,
  taskArns: tasks.map((t) => t.taskArn),
});
