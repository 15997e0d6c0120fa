import type { PlacementCandidate } from "../types.js";
import type { RankingStrategy, StrategyContext } from "./strategy.js";

/** What spread balances over: each instance, or an attribute's values. */
export type SpreadField =
  { readonly kind: "instanceId" } | { readonly kind: "attribute"; readonly name: string };

/** Instances without the attribute share one bucket of their own. */
const MISSING = "\u0000missing";

const valueOf = (field: SpreadField, c: PlacementCandidate): string =>
  field.kind === "instanceId" ? c.containerInstanceArn : (c.attributes[field.name] ?? MISSING);

/** Tasks of the group per value, over the whole cluster. */
const countsByValue = (field: SpreadField, ctx: StrategyContext): Map<string, number> => {
  const counts = new Map<string, number>();
  for (const c of ctx.all) {
    const v = valueOf(field, c);
    const n = c.tasks.filter((t) => t.group === ctx.group).length;
    counts.set(v, (counts.get(v) ?? 0) + n);
  }
  return counts;
};

/**
 * ECS spread: the value with the fewest tasks of this group first, so the
 * per-value counts stay within one where capacity allows. Scale-in stops a
 * task from the value with the most, keeping the values balanced.
 */
export const spread = (field: SpreadField): RankingStrategy => ({
  place: (eligible, ctx) => {
    const counts = countsByValue(field, ctx);
    return eligible.map((c) => counts.get(valueOf(field, c)) ?? 0);
  },
  stop: (tasks, ctx) => {
    const counts = countsByValue(field, ctx);
    return tasks.map(({ instance }) => -(counts.get(valueOf(field, instance)) ?? 0));
  },
});
