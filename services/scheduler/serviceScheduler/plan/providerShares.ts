import {
  splitByStrategy,
  type CapacityProviderStrategy,
} from "../../../../shared/domain/capacityProviders/strategy.js";
import type { ProviderPlacement, ServiceTask } from "./types.js";

/** A task of no provider the service knows (placed by launch type, say). */
const NO_PROVIDER = "";

/** The provider a task counts toward: its capacityProviderName, else the launch type's. */
export const providerKeyOf = (t: ServiceTask, providers: ProviderPlacement): string =>
  t.capacityProviderName ?? providers.launchTypeProvider ?? NO_PROVIDER;

/** How many of these tasks each provider has. */
export const countByProvider = (
  tasks: readonly ServiceTask[],
  providers: ProviderPlacement,
): Map<string, number> => {
  const counts = new Map<string, number>();
  for (const t of tasks) {
    const key = providerKeyOf(t, providers);
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
};

/**
 * How many of `n` tasks to take from each provider when a service scales in
 * from `counts` (tasks by provider): one at a time from the provider most
 * over its share of what remains (splitByStrategy of the new total), tasks of
 * providers the strategy no longer names first, then the later provider of
 * the strategy on a tie. Pure; the total taken is min(n, tasks).
 */
export const scaleInByProvider = (
  strategy: CapacityProviderStrategy,
  counts: ReadonlyMap<string, number>,
  n: number,
): Map<string, number> => {
  const total = [...counts.values()].reduce((s, c) => s + c, 0);
  const take = Math.max(0, Math.min(n, total));
  const order = strategy.map((i) => i.capacityProvider);
  const targets = new Map<string, number>(
    splitByStrategy(strategy, total - take).map((t, i) => [order[i]!, t]),
  );
  const left = new Map(counts);
  const taken = new Map<string, number>();
  // Rank: larger excess first; unnamed providers before named ones; later strategy items first.
  const rank = (key: string) => order.indexOf(key);
  for (let k = 0; k < take; k++) {
    let best: string | undefined;
    let bestOver = -Infinity;
    for (const [key, c] of left) {
      if (c <= 0) continue;
      const over = c - (targets.get(key) ?? 0);
      if (
        best === undefined ||
        over > bestOver ||
        (over === bestOver && rank(key) !== -1 && rank(best) !== -1 && rank(key) > rank(best)) ||
        (over === bestOver && rank(key) === -1 && rank(best) !== -1)
      ) {
        best = key;
        bestOver = over;
      }
    }
    if (best === undefined) break;
    left.set(best, left.get(best)! - 1);
    taken.set(best, (taken.get(best) ?? 0) + 1);
  }
  return taken;
};

/**
 * The tasks of providers over their share of `desired` (splitByStrategy) —
 * and of providers the strategy does not name — that a step replaces so the
 * split is restored: not-yet-healthy ones first, then the newest. They are
 * retired like an older deployment's tasks (replacements first, within
 * maximumPercent; stops within minimumHealthyPercent). Only the excess over
 * `desired` in total is left to scale-in.
 */
export const surplusTasks = (
  providers: ProviderPlacement,
  tasks: readonly ServiceTask[],
  desired: number,
  healthy: (t: ServiceTask) => boolean,
): ServiceTask[] => {
  const order = providers.strategy.map((i) => i.capacityProvider);
  const targets = splitByStrategy(providers.strategy, desired);
  const byKey = new Map<string, ServiceTask[]>();
  for (const t of tasks) {
    const key = providerKeyOf(t, providers);
    byKey.set(key, [...(byKey.get(key) ?? []), t]);
  }
  const out: ServiceTask[] = [];
  for (const [key, list] of byKey) {
    const at = order.indexOf(key);
    const over = list.length - (at === -1 ? 0 : targets[at]!);
    if (over <= 0) continue;
    const ranked = [...list].sort(
      (a, b) =>
        Number(healthy(a)) - Number(healthy(b)) ||
        b.createdAt - a.createdAt ||
        (a.taskArn < b.taskArn ? -1 : 1),
    );
    out.push(...ranked.slice(0, over));
  }
  return out;
};
