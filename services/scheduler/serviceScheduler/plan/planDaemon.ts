import type { DomainEvent } from "../../../../shared/events/index.js";
import { BASE_FILTERS, filterChain, type PlacementCandidate } from "../../placement/index.js";
import type { Deployment } from "../../ecsServices/serviceState.js";
import { deploymentLimits } from "./deploymentLimits.js";
import { launchGate } from "./launchGate.js";
import { placeNewTasks } from "./placeNewTasks.js";
import type { StrategyPlan } from "./planService.js";
import { isHealthy } from "./taskHealth.js";
import type { PlanInput, ServiceTask, StopOrder } from "./types.js";

/**
 * DAEMON: exactly one task on every eligible instance — ACTIVE, its agent
 * connected, meeting the service's constraints — including instances that
 * join later. The desired count follows the eligible instances (recorded
 * when it changes). Tasks on instances that are no longer eligible stop, a
 * second task on one instance stops, and older deployments' tasks are
 * replaced within minimumHealthyPercent (ECS's daemon default 0: stop, then
 * start) and maximumPercent (100: never two on one instance).
 */
export const planDaemon = (
  input: PlanInput,
  primary: Deployment,
  usable: readonly ServiceTask[],
): StrategyPlan => {
  const { service, healthChecked } = input;
  const group = `service:${service.created!.serviceName}`;
  const constraintFilters = filterChain(service.placementConstraints).slice(BASE_FILTERS.length);
  const ctx = { need: input.need, group };
  const eligible = new Map<string, PlacementCandidate>(
    service.status === "DRAINING"
      ? []
      : input.candidates
          .filter(
            (c) =>
              c.status === "ACTIVE" &&
              c.agentConnected &&
              constraintFilters.every((f) => f.name === "distinctInstance" || f.accepts(c, ctx)),
          )
          .map((c) => [c.containerInstanceArn, c]),
  );
  const desired = eligible.size;
  const events: DomainEvent[] = [];
  if (desired !== service.desiredCount && service.status === "ACTIVE") {
    events.push({
      type: "ServiceUpdated",
      data: {
        clusterName: service.created!.clusterName,
        serviceArn: service.created!.serviceArn,
        desiredCount: desired,
        updatedAt: input.now,
      },
    });
  }
  const healthy = (t: ServiceTask) => isHealthy(t, healthChecked);
  const stop: StopOrder[] = [];
  const ineligible = usable.filter((t) => !eligible.has(t.containerInstanceArn));
  if (ineligible.length > 0) {
    const draining = ineligible.filter(
      (t) => input.instances.get(t.containerInstanceArn)?.status === "DRAINING",
    );
    const other = ineligible.filter((t) => !draining.includes(t));
    if (draining.length > 0)
      stop.push({ reason: "draining", taskArns: draining.map((t) => t.taskArn) });
    if (other.length > 0) {
      stop.push({ reason: "daemon-ineligible", taskArns: other.map((t) => t.taskArn) });
    }
  }

  // One task per instance: keep the best (PRIMARY, healthy, oldest), stop the rest.
  const byInstance = new Map<string, ServiceTask[]>();
  for (const t of usable) {
    if (!eligible.has(t.containerInstanceArn)) continue;
    byInstance.set(t.containerInstanceArn, [...(byInstance.get(t.containerInstanceArn) ?? []), t]);
  }
  const rank = (t: ServiceTask): number[] => [
    t.deploymentId === primary.id ? 0 : 1,
    healthy(t) ? 0 : 1,
    t.createdAt,
  ];
  const extra: ServiceTask[] = [];
  const kept: ServiceTask[] = [];
  for (const list of byInstance.values()) {
    const sorted = [...list].sort((a, b) => compare(rank(a), rank(b)));
    kept.push(sorted[0]!);
    extra.push(...sorted.slice(1));
  }
  if (extra.length > 0) stop.push({ reason: "scale-in", taskArns: extra.map((t) => t.taskArn) });

  const failed = primary.rolloutState === "FAILED";
  const { minHealthy, maxTotal } = deploymentLimits(desired, service.deploymentConfiguration);
  if (!failed) {
    const outdated = kept.filter((t) => t.deploymentId !== primary.id);
    const notHealthy = outdated.filter((t) => !healthy(t));
    const healthyNow = kept.filter(healthy).length;
    // Never stuck: when the floor forbids every stop (one instance at
    // minimumHealthyPercent 50, say), one instance at a time is replaced.
    const alreadyStopping = input.tasks.some(
      (t) =>
        t.deploymentId !== primary.id &&
        t.desiredStatus === "STOPPED" &&
        t.lastStatus !== "STOPPED",
    );
    const allowance = Math.max(healthyNow - minHealthy, alreadyStopping ? 0 : 1, 0);
    const retiring = [
      ...notHealthy,
      ...outdated
        .filter(healthy)
        .sort((a, b) => a.createdAt - b.createdAt)
        .slice(0, allowance),
    ];
    if (retiring.length > 0)
      stop.push({ reason: "deployment", taskArns: retiring.map((t) => t.taskArn) });
  }

  // Instances with no task of the service at all (a stopping one still holds its ports).
  const occupied = new Set(
    input.tasks.filter((t) => t.lastStatus !== "STOPPED").map((t) => t.containerInstanceArn),
  );
  const empty = [...eligible.values()].filter((c) => !occupied.has(c.containerInstanceArn));
  const room = maxTotal - kept.length;
  if (failed || empty.length === 0 || room <= 0) return { stop, events, desiredCount: desired };
  const gate = launchGate(input, primary.id);
  events.push(...gate.events);
  if (!gate.open) return { stop, events, desiredCount: desired };
  const instances: string[] = [];
  for (const c of empty.slice(0, room)) {
    const placed = placeNewTasks(input, [c], group, 1, []);
    instances.push(...placed.instances);
    if (placed.events.length > 0 && !events.some((e) => e.type === "ServiceTaskPlacementFailed")) {
      events.push(...placed.events);
    }
  }
  return {
    ...(instances.length > 0 ? { start: { deploymentId: primary.id, instances } } : {}),
    stop,
    events,
    desiredCount: desired,
  };
};

const compare = (a: readonly number[], b: readonly number[]): number => {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return 0;
};
