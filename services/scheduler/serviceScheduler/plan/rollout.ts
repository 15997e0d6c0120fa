import type { DomainEvent } from "../../../../shared/events/index.js";
import type { Deployment, ServiceState } from "../../ecsServices/serviceState.js";
import { isHealthy } from "./taskHealth.js";
import type { ServiceTask } from "./types.js";

export interface RolloutInput {
  readonly service: ServiceState;
  readonly primary: Deployment;
  /** Tasks that are still there after this step's stops (not STOPPED, not fenced). */
  readonly remaining: readonly ServiceTask[];
  readonly healthChecked: ReadonlySet<string>;
  readonly desiredCount: number;
  /** This step starts or stops tasks: nothing is complete or steady yet. */
  readonly acting: boolean;
  readonly now: number;
}

/**
 * The deployment bookkeeping after a step: ACTIVE deployments with no task
 * left retire; the PRIMARY completes when it alone remains with every desired
 * task healthy; a complete service with nothing to do is in a steady state
 * (recorded once until something changes); a deleted service with no task
 * left is INACTIVE.
 */
export const rolloutEvents = (r: RolloutInput): DomainEvent[] => {
  const { service, primary, remaining, now } = r;
  const ids = {
    clusterName: service.created!.clusterName,
    serviceArn: service.created!.serviceArn,
  };
  const events: DomainEvent[] = [];
  const withTasks = new Set(remaining.map((t) => t.deploymentId));
  const retired = service.deployments
    .filter((d) => d.status !== "PRIMARY" && !withTasks.has(d.id))
    .map((d) => d.id);
  if (retired.length > 0) {
    events.push({
      type: "ServiceDeploymentsRetired",
      data: { ...ids, deploymentIds: retired, at: now },
    });
  }
  if (service.status === "DRAINING") {
    if (remaining.length === 0)
      events.push({ type: "ServiceInactivated", data: { ...ids, at: now } });
    return events;
  }
  const others = service.deployments.filter(
    (d) => d.status !== "PRIMARY" && !retired.includes(d.id),
  );
  const own = remaining.filter((t) => t.deploymentId === primary.id);
  const settled =
    !r.acting &&
    others.length === 0 &&
    own.length === r.desiredCount &&
    remaining.length === r.desiredCount &&
    own.every((t) => t.desiredStatus === "RUNNING" && isHealthy(t, r.healthChecked));
  if (!settled) return events;
  if (primary.rolloutState === "IN_PROGRESS") {
    events.push({
      type: "ServiceDeploymentCompleted",
      data: { ...ids, deploymentId: primary.id, at: now },
    });
  }
  if (primary.rolloutState !== "FAILED" && !service.steady) {
    events.push({ type: "ServiceSteadyStateReached", data: { ...ids, at: now } });
  }
  return events;
};
