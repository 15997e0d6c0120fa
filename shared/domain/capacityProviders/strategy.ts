import { EcsError } from "../errors.js";
import { CapacityProviderStrategyItem } from "../../events/clusterEvents.js";
import { isManagedPool } from "./managedPools.js";

export { CapacityProviderStrategyItem };
export type CapacityProviderStrategy = readonly {
  readonly capacityProvider: string;
  readonly weight?: number | undefined;
  readonly base?: number | undefined;
}[];

/** ECS: a strategy names at most 20 capacity providers. */
export const MAX_STRATEGY_ITEMS = 20;

const invalid = (message: string): EcsError => new EcsError("InvalidParameterException", message);

/**
 * The checks ECS makes on a `capacityProviderStrategy` (RunTask, CreateService,
 * UpdateService) or a cluster's `defaultCapacityProviderStrategy`; `field`
 * names the parameter in the message. `associated`: the cluster's capacity
 * providers (PutClusterCapacityProviders), when the strategy is used on one.
 */
export const validateStrategy = (
  strategy: CapacityProviderStrategy,
  field: string,
  associated?: readonly string[],
): void => {
  if (strategy.length === 0) return;
  if (strategy.length > MAX_STRATEGY_ITEMS) {
    throw invalid(
      `${field}: a capacity provider strategy may contain at most ${MAX_STRATEGY_ITEMS} capacity providers.`,
    );
  }
  const seen = new Set<string>();
  for (const item of strategy) {
    if (seen.has(item.capacityProvider)) {
      throw invalid(
        `${field}: capacity provider ${item.capacityProvider} is named more than once.`,
      );
    }
    seen.add(item.capacityProvider);
  }
  if (strategy.filter((i) => (i.base ?? 0) > 0).length > 1) {
    throw invalid(
      `${field}: only one capacity provider in a strategy can have a base greater than 0.`,
    );
  }
  if (!strategy.some((i) => (i.weight ?? 0) > 0)) {
    throw invalid(`${field}: at least one capacity provider must have a weight greater than 0.`);
  }
  const pools = strategy.filter((i) => isManagedPool(i.capacityProvider)).length;
  if (pools > 0 && pools < strategy.length) {
    throw invalid(
      `${field}: the specified capacity provider strategy cannot contain a mix of capacity providers using Auto Scaling groups and Fargate providers. Specify one or the other and try again.`,
    );
  }
  if (associated) {
    const missing = strategy.find((i) => !associated.includes(i.capacityProvider));
    if (missing) {
      throw invalid(
        `${field}: the specified capacity provider strategy cannot contain a capacity provider that is not associated with the cluster (${missing.capacityProvider}). Associate the capacity provider with the cluster or specify a valid capacity provider and try again.`,
      );
    }
  }
};

/**
 * How `total` tasks divide over a strategy: the provider with a base takes up
 * to `base` first; the rest go by weight, one task at a time to the provider
 * with the highest `weight / (tasks so far + ½)` (Sainte-Laguë, the earlier
 * provider on a tie). FARGATE base 1 weight 1 + FARGATE_SPOT weight 3 at 9
 * tasks: 1 + 2 and 6. Handing out one task at a time makes the split
 * monotone — the split of n + 1 is the split of n plus one task — so a
 * service scaled out by one starts one task and never has to move another
 * (largest remainders can take a task away: the Alabama paradox). One count
 * per item, in the strategy's order.
 */
export const splitByStrategy = (strategy: CapacityProviderStrategy, total: number): number[] => {
  const counts = strategy.map(() => 0);
  let left = Math.max(0, Math.floor(total));
  strategy.forEach((item, i) => {
    const base = Math.min(item.base ?? 0, left);
    counts[i] = base;
    left -= base;
  });
  const weights = strategy.map((item) => item.weight ?? 0);
  if (left === 0 || !weights.some((w) => w > 0)) return counts;
  const byWeight = strategy.map(() => 0);
  for (; left > 0; left--) {
    let best = -1;
    for (let i = 0; i < weights.length; i++) {
      if (weights[i]! <= 0) continue;
      // w_i / (n_i + ½) > w_best / (n_best + ½), without division.
      if (
        best === -1 ||
        weights[i]! * (2 * byWeight[best]! + 1) > weights[best]! * (2 * byWeight[i]! + 1)
      ) {
        best = i;
      }
    }
    byWeight[best]! += 1;
  }
  return counts.map((c, i) => c + byWeight[i]!);
};

/**
 * Where `count` new tasks go when `existing` tasks (by provider name) already
 * run under the strategy: toward the split of the new total, each provider
 * short of its share filled first (in strategy order), so replacements of
 * interrupted or lost tasks restore the split. One count per item.
 */
export const newTasksByProvider = (
  strategy: CapacityProviderStrategy,
  existing: ReadonlyMap<string, number>,
  count: number,
): number[] => {
  const now = strategy.map((i) => existing.get(i.capacityProvider) ?? 0);
  const total = now.reduce((s, n) => s + n, 0) + Math.max(0, count);
  const target = splitByStrategy(strategy, total);
  const out = target.map((t, i) => Math.max(0, t - now[i]!));
  let over = out.reduce((s, n) => s + n, 0) - Math.max(0, count);
  for (let i = out.length - 1; over > 0 && i >= 0; i--) {
    const cut = Math.min(out[i]!, over);
    out[i]! -= cut;
    over -= cut;
  }
  return out;
};
