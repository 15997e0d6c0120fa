import { EcsError, clusterNotFound } from "../../../shared/domain/errors.js";
import {
  isManagedPool,
  launchTypeOfProvider,
} from "../../../shared/domain/capacityProviders/managedPools.js";
import {
  splitByStrategy,
  validateStrategy,
  type CapacityProviderStrategy,
} from "../../../shared/domain/capacityProviders/strategy.js";
import type { SchedulerContext } from "../context.js";

/** The launch type a RunTask / CreateService request may name. */
export type RequestedLaunchType = "EC2" | "FARGATE" | "EXTERNAL" | "MANAGED_INSTANCES";

/** What a request says about where its tasks run. */
export interface LaunchChoice {
  readonly launchType?: RequestedLaunchType | undefined;
  readonly capacityProviderStrategy?: CapacityProviderStrategy | undefined;
}

/** The cluster's side: its associated providers and default strategy (PutClusterCapacityProviders). */
export interface ClusterProviders {
  readonly capacityProviders: readonly string[];
  readonly defaultCapacityProviderStrategy: CapacityProviderStrategy;
}

/**
 * Where a request's tasks go:
 * - `launchType`: by launch type, no capacity provider (the task reports no
 *   `capacityProviderName`): EC2 on the cluster's own instances, FARGATE on
 *   the FARGATE pool;
 * - `strategy`: split over capacity providers (the request's strategy, or the
 *   cluster's default when the request names neither), each task reporting its
 *   provider.
 */
export type ResolvedStrategy =
  | { readonly kind: "launchType"; readonly launchType: "EC2" | "FARGATE" }
  | {
      readonly kind: "strategy";
      readonly strategy: CapacityProviderStrategy;
      readonly source: "request" | "clusterDefault";
    };

/** One provider's part of a launch. */
export interface ProviderShare {
  /** Whose instances (loadProviderCandidates); undefined: the cluster's own. */
  readonly provider: string | undefined;
  /** What the task reports as `capacityProviderName`; undefined for a launch-type launch. */
  readonly capacityProviderName: string | undefined;
  readonly launchType: "EC2" | "FARGATE";
  readonly count: number;
}

export const BOTH_LAUNCH_TYPE_AND_STRATEGY =
  "Specifying both a launch type and capacity provider strategy is not supported.";

/**
 * The pure choice, with ECS's checks: both a launch type and a strategy are
 * refused; an explicit strategy is validated against the cluster's providers
 * (FARGATE and FARGATE_SPOT included: ECS requires them associated too); a
 * launch type FARGATE needs no association; with neither, the cluster's
 * default strategy when it has one, else EC2. `field` names the request's
 * strategy parameter in messages.
 */
export const chooseStrategy = (
  request: LaunchChoice,
  cluster: ClusterProviders,
  field = "capacityProviderStrategy",
): ResolvedStrategy => {
  const explicit = request.capacityProviderStrategy ?? [];
  if (request.launchType !== undefined && explicit.length > 0) {
    throw new EcsError("InvalidParameterException", BOTH_LAUNCH_TYPE_AND_STRATEGY);
  }
  if (request.launchType !== undefined) {
    if (request.launchType !== "EC2" && request.launchType !== "FARGATE") {
      throw new EcsError(
        "InvalidParameterException",
        `launchType: ${request.launchType} is not supported; use EC2 or FARGATE.`,
      );
    }
    return { kind: "launchType", launchType: request.launchType };
  }
  if (explicit.length > 0) {
    validateStrategy(explicit, field, cluster.capacityProviders);
    return { kind: "strategy", strategy: explicit, source: "request" };
  }
  const fallback = cluster.defaultCapacityProviderStrategy;
  if (fallback.length > 0) {
    validateStrategy(fallback, "defaultCapacityProviderStrategy", cluster.capacityProviders);
    return { kind: "strategy", strategy: fallback, source: "clusterDefault" };
  }
  return { kind: "launchType", launchType: "EC2" };
};

/** The cluster's providers and default strategy from its read model; ClusterNotFound unless ACTIVE. */
export const loadClusterProviders = async (
  ctx: SchedulerContext,
  clusterName: string,
): Promise<ClusterProviders> => {
  const row = await ctx.db
    .selectFrom("clusters")
    .select(["status", "capacity_providers", "default_capacity_provider_strategy"])
    .where("cluster_name", "=", clusterName)
    .executeTakeFirst();
  if (row?.status !== "ACTIVE") throw clusterNotFound();
  return {
    capacityProviders: row.capacity_providers ?? [],
    defaultCapacityProviderStrategy: (row.default_capacity_provider_strategy ??
      []) as unknown as CapacityProviderStrategy,
  };
};

/** chooseStrategy on the cluster as its read model has it. */
export const resolveStrategy = async (
  ctx: SchedulerContext,
  clusterName: string,
  request: LaunchChoice,
  field = "capacityProviderStrategy",
): Promise<ResolvedStrategy> =>
  chooseStrategy(request, await loadClusterProviders(ctx, clusterName), field);

/**
 * `count` tasks over the resolved strategy: all to the launch type's
 * instances, or split by ECS's base-then-weight rule (splitByStrategy), one
 * share per strategy item in its order (shares of 0 included).
 */
export const sharesOf = (resolved: ResolvedStrategy, count: number): ProviderShare[] => {
  if (resolved.kind === "launchType") {
    return [
      {
        provider: resolved.launchType === "FARGATE" ? "FARGATE" : undefined,
        capacityProviderName: undefined,
        launchType: resolved.launchType,
        count,
      },
    ];
  }
  const counts = splitByStrategy(resolved.strategy, count);
  return resolved.strategy.map((item, i) => ({
    provider: item.capacityProvider,
    capacityProviderName: item.capacityProvider,
    launchType: launchTypeOfProvider(item.capacityProvider),
    count: counts[i]!,
  }));
};

/** True when the resolved launch runs (some of) its tasks on a managed pool. */
export const usesManagedPool = (resolved: ResolvedStrategy): boolean =>
  resolved.kind === "launchType"
    ? resolved.launchType === "FARGATE"
    : resolved.strategy.some((i) => isManagedPool(i.capacityProvider));
