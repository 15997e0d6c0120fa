import {
  capacityProviderNameFrom,
  capacityProviderNotFound,
} from "../../../shared/domain/capacityProviders/capacityProvider.js";
import {
  isManagedPool,
  isPoolCluster,
} from "../../../shared/domain/capacityProviders/managedPools.js";
import {
  validateStrategy,
  type CapacityProviderStrategy,
} from "../../../shared/domain/capacityProviders/strategy.js";
import { EcsError, clusterNotFound } from "../../../shared/domain/errors.js";
import type { DomainEvent } from "../../../shared/events/index.js";
import type { DecisionContext } from "../../../shared/aggregate/decider.js";
import type { ClusterState } from "../clusters/clusterState.js";

/** ECS: a cluster has at most 20 capacity providers. */
export const MAX_CLUSTER_CAPACITY_PROVIDERS = 20;

export interface ClusterCapacityProviders {
  readonly capacityProviders: string[];
  readonly defaultCapacityProviderStrategy: {
    capacityProvider: string;
    weight?: number | undefined;
    base?: number | undefined;
  }[];
}

/**
 * The checks ECS makes on a cluster's capacity providers and default strategy
 * (CreateCluster, PutClusterCapacityProviders): every provider exists and is
 * ACTIVE (FARGATE and FARGATE_SPOT always are; `active` holds the others'
 * names), none twice, and the default strategy is valid and names only the
 * cluster's providers. Names and ARNs are accepted; names are kept.
 */
export const checkClusterCapacityProviders = (
  capacityProviders: readonly string[],
  defaultStrategy: CapacityProviderStrategy,
  active: ReadonlySet<string>,
): ClusterCapacityProviders => {
  const names = capacityProviders.map(capacityProviderNameFrom);
  if (names.length > MAX_CLUSTER_CAPACITY_PROVIDERS) {
    throw new EcsError(
      "InvalidParameterException",
      `capacityProviders: a cluster can have at most ${MAX_CLUSTER_CAPACITY_PROVIDERS} capacity providers.`,
    );
  }
  const seen = new Set<string>();
  for (const name of names) {
    if (seen.has(name)) {
      throw new EcsError(
        "InvalidParameterException",
        `capacityProviders: capacity provider ${name} is named more than once.`,
      );
    }
    seen.add(name);
    if (!isManagedPool(name) && !active.has(name)) {
      throw capacityProviderNotFound("capacityProviders", name);
    }
  }
  const strategy = defaultStrategy.map((item) => ({
    capacityProvider: capacityProviderNameFrom(item.capacityProvider),
    ...(item.weight === undefined ? {} : { weight: item.weight }),
    ...(item.base === undefined ? {} : { base: item.base }),
  }));
  validateStrategy(strategy, "defaultCapacityProviderStrategy", names);
  return { capacityProviders: names, defaultCapacityProviderStrategy: strategy };
};

export interface PutClusterCapacityProvidersCommand {
  readonly capacityProviders: readonly string[];
  readonly defaultCapacityProviderStrategy: CapacityProviderStrategy;
  /** The names of the ACTIVE instance-based providers (read by the handler). */
  readonly activeProviders: ReadonlySet<string>;
  /** The providers the cluster's services and live tasks use (read by the handler). */
  readonly inUse: ReadonlySet<string>;
}

/**
 * PutClusterCapacityProviders: both lists replaced whole. A provider a
 * service or a live task of the cluster uses cannot be removed
 * (ResourceInUseException). Putting what the cluster already has appends nothing.
 */
export const decidePutClusterCapacityProviders = (
  command: PutClusterCapacityProvidersCommand,
  state: ClusterState,
  ctx: DecisionContext,
): DomainEvent[] => {
  if (state.status !== "ACTIVE" || isPoolCluster(state.clusterName ?? "")) throw clusterNotFound();
  const next = checkClusterCapacityProviders(
    command.capacityProviders,
    command.defaultCapacityProviderStrategy,
    command.activeProviders,
  );
  const removed = state.capacityProviders.filter((p) => !next.capacityProviders.includes(p));
  const busy = removed.find((p) => command.inUse.has(p));
  if (busy !== undefined) {
    throw new EcsError(
      "ResourceInUseException",
      `capacityProviders: The specified capacity provider (${busy}) is in use and cannot be removed.`,
    );
  }
  if (
    JSON.stringify(next.capacityProviders) === JSON.stringify(state.capacityProviders) &&
    JSON.stringify(next.defaultCapacityProviderStrategy) ===
      JSON.stringify(state.defaultCapacityProviderStrategy)
  ) {
    return [];
  }
  return [
    {
      type: "ClusterCapacityProvidersUpdated",
      data: {
        clusterName: state.clusterName!,
        clusterArn: state.clusterArn!,
        ...next,
        updatedAt: ctx.now.toISOString(),
      },
    },
  ];
};
