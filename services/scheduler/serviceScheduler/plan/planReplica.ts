import type { DomainEvent } from "../../../../shared/events/index.js";
import {
  chooseTasksToStop,
  DEFAULT_SERVICE_STRATEGIES,
  withoutTask,
  type PlacementCandidate,
} from "../../placement/index.js";
import type { Deployment } from "../../ecsServices/serviceState.js";
import { deploymentLimits } from "./deploymentLimits.js";
import { launchGate } from "./launchGate.js";
import { placeNewTasks } from "./placeNewTasks.js";
import {
  countByProvider,
  providerKeyOf,
  scaleInByProvider,
  surplusTasks,
} from "./providerShares.js";
import type { StrategyPlan } from "./planService.js";
import { isHealthy, isOnDrainingInstance, isOnLostInstance } from "./taskHealth.js";
import type { PlanInput, ServiceTask, StopOrder } from "./types.js";

/**
 * REPLICA: keep `desiredCount` tasks of the PRIMARY deployment on usable
 * instances. Tasks of older deployments and tasks on DRAINING instances are
 * replaced: replacements start first as far as maximumPercent allows
 * (running + pending ≤ floor(desired × max%)), and old tasks stop only as
 * far as minimumHealthyPercent allows (healthy ≥ ceil(desired × min%)).
 * Tasks that are not healthy (still pending, say) may always stop. Which
 * tasks stop is chosen by the placement strategies in reverse (zones stay
 * balanced). Through capacity providers, new tasks split by the strategy
 * and scale-in takes from the provider most over its share first. A FAILED PRIMARY (circuit breaker without rollback) starts
 * nothing and stops nothing of the deployments before it.
 */
export const planReplica = (
  input: PlanInput,
  primary: Deployment,
  usable: readonly ServiceTask[],
): StrategyPlan => {
  const { service, instances, healthChecked } = input;
  const desired = service.status === "DRAINING" ? 0 : service.desiredCount;
  const { minHealthy, maxTotal } = deploymentLimits(desired, service.deploymentConfiguration);
  const strategies =
    service.placementStrategy.length > 0 ? service.placementStrategy : DEFAULT_SERVICE_STRATEGIES;
  const group = `service:${service.created!.serviceName}`;
  const healthy = (t: ServiceTask) => isHealthy(t, healthChecked);
  const failed = primary.rolloutState === "FAILED";

  const current = usable.filter(
    (t) => t.deploymentId === primary.id && !isOnDrainingInstance(t, instances),
  );
  const replaceable = usable.filter((t) => !current.includes(t));
  const stop: StopOrder[] = [];
  let cluster: readonly PlacementCandidate[] = input.candidates;
  const choose = (from: readonly ServiceTask[], n: number): ServiceTask[] => {
    if (n <= 0 || from.length === 0) return [];
    const arns = new Set(from.map((t) => t.taskArn));
    // Only these tasks may be chosen: hide the service's others from the ranking's group.
    const view = cluster.map((c) => ({
      ...c,
      tasks: c.tasks.map((t) =>
        t.group === group && !arns.has(t.taskArn) ? { ...t, group: `${group}#kept` } : t,
      ),
    }));
    const chosen = new Set(chooseTasksToStop(view, group, n, strategies, input.seed));
    const picked = from.filter((t) => chosen.has(t.taskArn));
    for (const t of picked) cluster = cluster.map((c) => withoutTask(c, t.taskArn));
    return picked;
  };
  /** Not-yet-healthy tasks go first (newest first); then healthy ones by the strategies. */
  const pick = (from: readonly ServiceTask[], n: number): ServiceTask[] => {
    if (n <= 0) return [];
    const notHealthy = from
      .filter((t) => !healthy(t))
      .sort((a, b) => b.createdAt - a.createdAt || (a.taskArn < b.taskArn ? -1 : 1))
      .slice(0, n);
    return [...notHealthy, ...choose(from.filter(healthy), n - notHealthy.length)];
  };

  // Scale-in of the current deployment: through capacity providers, from the
  // provider most over its share first (scaleInByProvider), then as above.
  const providers = input.providers;
  const scaleIn = !providers
    ? pick(current, current.length - desired)
    : [
        ...scaleInByProvider(
          providers.strategy,
          countByProvider(current, providers),
          current.length - desired,
        ),
      ].flatMap(([key, n]) =>
        pick(
          current.filter((t) => providerKeyOf(t, providers) === key),
          n,
        ),
      );
  if (scaleIn.length > 0) {
    stop.push({
      reason: service.status === "DRAINING" ? "service-deleted" : "scale-in",
      taskArns: scaleIn.map((t) => t.taskArn),
    });
  }
  const healthyLeft = usable.filter(healthy).length - scaleIn.filter(healthy).length;
  // Through capacity providers: tasks over their provider's share are replaced on the
  // providers short of theirs (a split upset by capacity that came and went).
  const rebalance =
    providers && !failed && service.status === "ACTIVE"
      ? surplusTasks(
          providers,
          current.filter((t) => !scaleIn.includes(t)),
          desired,
          healthy,
        )
      : [];
  const retirable = [...replaceable, ...rebalance];

  // Replacement of older deployments' tasks and of tasks on DRAINING instances.
  if (!failed) {
    const notHealthy = retirable.filter((t) => !healthy(t));
    const allowance = Math.max(0, healthyLeft - minHealthy);
    const retiring = [...notHealthy, ...choose(retirable.filter(healthy), allowance)];
    const draining = retiring.filter((t) => isOnDrainingInstance(t, instances));
    const outdated = retiring.filter((t) => !draining.includes(t));
    if (outdated.length > 0)
      stop.push({ reason: "deployment", taskArns: outdated.map((t) => t.taskArn) });
    if (draining.length > 0)
      stop.push({ reason: "draining", taskArns: draining.map((t) => t.taskArn) });
  }

  const events: DomainEvent[] = [];
  const want = failed ? 0 : desired - (current.length - scaleIn.length - rebalance.length);
  // Every task still there counts against maximumPercent, also one already
  // asked to stop (it runs until its agent stops it); a task on a lost
  // instance is fenced and does not.
  const present = input.tasks.filter(
    (t) => t.lastStatus !== "STOPPED" && !isOnLostInstance(t, instances),
  ).length;
  const room = maxTotal - present;
  const count = Math.max(
    0,
    Math.min(want, room, input.settings.maxStartsPerStep ?? Number.POSITIVE_INFINITY),
  );
  if (count === 0) return { stop, events, desiredCount: desired };
  const gate = launchGate(input, primary.id);
  events.push(...gate.events);
  if (!gate.open) return { stop, events, desiredCount: desired };
  // Spread balances the deployment's own tasks: those on their way out are
  // hidden from the group's counts (their resources stay reserved).
  const staying = new Set(
    current.filter((t) => !scaleIn.includes(t) && !rebalance.includes(t)).map((t) => t.taskArn),
  );
  const view = input.candidates.map((c) => ({
    ...c,
    tasks: c.tasks.map((t) =>
      t.group === group && !staying.has(t.taskArn) ? { ...t, group: `${group}#leaving` } : t,
    ),
  }));
  const existing = providers
    ? countByProvider(
        current.filter((t) => staying.has(t.taskArn)),
        providers,
      )
    : undefined;
  const placed = placeNewTasks(input, view, group, count, strategies, existing);
  events.push(...placed.events);
  return {
    ...(placed.instances.length > 0
      ? { start: { deploymentId: primary.id, instances: placed.instances } }
      : {}),
    stop,
    events,
    desiredCount: desired,
  };
};
