import type { RankingStrategy } from "./strategy.js";

export type BinpackField = "cpu" | "memory";

/**
 * ECS binpack: the instance with the least remaining of the field (that still
 * fits) first, so an instance fills before another opens. Scale-in stops the
 * task whose instance has the most left once it stops: emptiest first.
 */
export const binpack = (field: BinpackField): RankingStrategy => ({
  board: (ctx) => {
    const remaining = Float64Array.from(ctx.all, (c) => c.remaining[field]);
    return {
      fresh: false,
      scoreOf: (i) => remaining[i]!,
      fill: (eligible, count, out) => {
        for (let j = 0; j < count; j++) out[j] = remaining[eligible[j]!]!;
      },
      placed: (i, updated) => {
        remaining[i] = updated.remaining[field];
      },
    };
  },
  stop: (tasks) =>
    tasks.map(({ task, instance }) => -(instance.remaining[field] + (task.reserved?.[field] ?? 0))),
});
