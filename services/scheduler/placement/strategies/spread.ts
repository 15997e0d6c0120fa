import type { PlacementCandidate } from "../types.js";
import type { BoardContext, RankingStrategy, StrategyContext } from "./strategy.js";

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
    counts.set(v, (counts.get(v) ?? 0) + c.tasks.filter((t) => t.group === ctx.group).length);
  }
  return counts;
};

/**
 * Each instance's value as a small integer (its bucket), and the group's task
 * count per bucket. Instance ids are compared with the previous instance only:
 * `ctx.all` is in ARN order, so equal ARNs are neighbours.
 */
const buckets = (field: SpreadField, ctx: BoardContext) => {
  const n = ctx.all.length;
  const groupTasks = ctx.groupTasks();
  const bucket = new Int32Array(n);
  const counts: number[] = [];
  if (field.kind === "instanceId") {
    for (let i = 0; i < n; i++) {
      const c = ctx.all[i]!;
      const same = i > 0 && ctx.all[i - 1]!.containerInstanceArn === c.containerInstanceArn;
      if (same) counts[counts.length - 1]! += groupTasks[i]!;
      else counts.push(groupTasks[i]!);
      bucket[i] = counts.length - 1;
    }
  } else {
    const ids = new Map<string, number>();
    for (let i = 0; i < n; i++) {
      const c = ctx.all[i]!;
      const v = valueOf(field, c);
      const id = ids.get(v);
      if (id === undefined) {
        ids.set(v, counts.length);
        bucket[i] = counts.length;
        counts.push(groupTasks[i]!);
      } else {
        bucket[i] = id;
        counts[id]! += groupTasks[i]!;
      }
    }
  }
  return { bucket, counts: Float64Array.from(counts), shared: counts.length < n };
};

/**
 * ECS spread: the value with the fewest tasks of this group first, so the
 * per-value counts stay within one where capacity allows. Scale-in stops a
 * task from the value with the most, keeping the values balanced.
 */
export const spread = (field: SpreadField): RankingStrategy => ({
  board: (ctx) => {
    const { bucket, counts, shared } = buckets(field, ctx);
    return {
      fresh: false,
      scoreOf: (i) => counts[bucket[i]!]!,
      // Fewer buckets than instances: some share theirs (and so their score).
      bucketOf: shared ? bucket : undefined,
      fill: (eligible, count, out) => {
        for (let j = 0; j < count; j++) out[j] = counts[bucket[eligible[j]!]!]!;
      },
      // The instance took one task of the group: its value counts one more.
      placed: (i) => {
        counts[bucket[i]!]! += 1;
      },
    };
  },
  stop: (tasks, ctx) => {
    const counts = countsByValue(field, ctx);
    return tasks.map(({ instance }) => -(counts.get(valueOf(field, instance)) ?? 0));
  },
});
