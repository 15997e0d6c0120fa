import type { RankingStrategy } from "./strategy.js";

export type BinpackField = "cpu" | "memory";

/**
 * ECS binpack: the instance with the least remaining of the field (that still
 * fits) first, so an instance fills before another opens. Scale-in stops the
 * task whose instance has the most left once it stops: emptiest first.
 */
export const binpack = (field: BinpackField): RankingStrategy => ({
  place: (eligible) => eligible.map((c) => c.remaining[field]),
  stop: (tasks) =>
    tasks.map(({ task, instance }) => -(instance.remaining[field] + (task.reserved?.[field] ?? 0))),
});
