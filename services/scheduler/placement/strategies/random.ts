import type { RankingStrategy } from "./strategy.js";

/** ECS random, drawn from the request's seeded PRNG (one draw per item, in ARN order). */
export const random: RankingStrategy = {
  place: (eligible, ctx) => eligible.map(() => ctx.rng()),
  stop: (tasks, ctx) => tasks.map(() => ctx.rng()),
};
