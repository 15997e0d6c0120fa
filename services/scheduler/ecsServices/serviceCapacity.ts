import { EcsError } from "../../../shared/domain/errors.js";
import { canonicalJson } from "../../../shared/domain/canonicalJson.js";
import { launchTypeOfProvider } from "../../../shared/domain/capacityProviders/managedPools.js";
import type { CapacityProviderStrategy } from "../../../shared/domain/capacityProviders/strategy.js";
import type { SchedulingStrategy } from "../../../shared/events/index.js";
import { usesManagedPool, type ResolvedStrategy } from "../placement/resolveStrategy.js";
import type { ServiceState } from "./serviceState.js";

/** A strategy item as ECS describes it: weight and base always present (0 when not given). */
export interface StrategyItem {
  readonly capacityProvider: string;
  readonly weight: number;
  readonly base: number;
}

export const normaliseStrategy = (strategy: CapacityProviderStrategy): StrategyItem[] =>
  strategy.map((i) => ({
    capacityProvider: i.capacityProvider,
    weight: i.weight ?? 0,
    base: i.base ?? 0,
  }));

export const DAEMON_PROVIDERS =
  "capacityProviderStrategy: the DAEMON scheduling strategy does not support capacity providers; use the EC2 launch type.";
export const DAEMON_FARGATE =
  "launchType: the DAEMON scheduling strategy does not support the FARGATE launch type; use EC2.";
export const STRATEGY_NEEDS_NEW_DEPLOYMENT =
  "When switching from launch type to capacity provider strategy on an existing service, or making a change to a capacity provider strategy on a service that is already using one, you must force a new deployment.";

/**
 * DAEMON services run one task on every instance of their cluster: a
 * strategy or FARGATE given with one is refused, as ECS refuses them; the
 * cluster's default strategy does not apply to them (EC2).
 */
export const refuseDaemonProviders = (
  scheduling: SchedulingStrategy,
  resolved: ResolvedStrategy,
): ResolvedStrategy => {
  if (scheduling !== "DAEMON") return resolved;
  if (resolved.kind === "launchType") {
    if (resolved.launchType === "FARGATE") {
      throw new EcsError("InvalidParameterException", DAEMON_FARGATE);
    }
    return resolved;
  }
  if (resolved.source === "request") {
    throw new EcsError("InvalidParameterException", DAEMON_PROVIDERS);
  }
  return { kind: "launchType", launchType: "EC2" };
};

/** Where a service's tasks run now: its strategy, else its launch type (EC2 for older services). */
export const resolvedOfService = (service: ServiceState): ResolvedStrategy =>
  service.capacityProviderStrategy.length > 0
    ? { kind: "strategy", strategy: service.capacityProviderStrategy, source: "request" }
    : { kind: "launchType", launchType: service.launchType ?? "EC2" };

/**
 * UpdateService's `capacityProviderStrategy` (already validated against the
 * cluster's providers), as ECS rules it: a new strategy, or a switch from the
 * launch type to one, needs forceNewDeployment and begins a deployment; an
 * empty list takes a service with a strategy back to a launch type (FARGATE
 * from the Fargate providers, EC2 otherwise), also with forceNewDeployment.
 * Undefined: no change.
 */
export const strategyChange = (
  given: CapacityProviderStrategy | undefined,
  state: ServiceState,
  forceNewDeployment: boolean,
):
  | { readonly capacityProviderStrategy: StrategyItem[]; readonly launchType?: "EC2" | "FARGATE" }
  | undefined => {
  if (given === undefined) return undefined;
  const next = normaliseStrategy(given);
  const current = normaliseStrategy(state.capacityProviderStrategy);
  if (canonicalJson(next) === canonicalJson(current)) return undefined;
  if (next.length > 0 && state.schedulingStrategy === "DAEMON") {
    throw new EcsError("InvalidParameterException", DAEMON_PROVIDERS);
  }
  if (!forceNewDeployment) {
    throw new EcsError("InvalidParameterException", STRATEGY_NEEDS_NEW_DEPLOYMENT);
  }
  if (next.length > 0) return { capacityProviderStrategy: next };
  const first = current[0]?.capacityProvider;
  return {
    capacityProviderStrategy: [],
    launchType: first === undefined ? "EC2" : launchTypeOfProvider(first),
  };
};

/**
 * A service whose tasks run on a managed pool (launch type FARGATE, or the
 * FARGATE / FARGATE_SPOT providers), with ECS's checks: a Fargate-compatible
 * task definition, and no placement constraints or strategies.
 */
export const checkFargateService = (
  resolved: ResolvedStrategy,
  td: { readonly compatibilities: readonly string[] },
  placement: { readonly constraints: readonly unknown[]; readonly strategy: readonly unknown[] },
): void => {
  if (!usesManagedPool(resolved)) return;
  if (!td.compatibilities.includes("FARGATE")) {
    throw new EcsError(
      "InvalidParameterException",
      "Task definition does not support launch_type FARGATE.",
    );
  }
  if (placement.constraints.length > 0) {
    throw new EcsError(
      "InvalidParameterException",
      "Placement constraints are not supported with FARGATE launch type.",
    );
  }
  if (placement.strategy.length > 0) {
    throw new EcsError(
      "InvalidParameterException",
      "Placement strategies are not supported with FARGATE launch type.",
    );
  }
};
