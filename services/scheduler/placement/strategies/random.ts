import type { RankingStrategy } from "./strategy.js";

/** ECS random, drawn from the request's seeded PRNG (one draw per item, in ARN order). */
export const random: RankingStrategy = {
  board: (ctx) => ({
    fresh: true,
    scoreOf: () => {
      throw new Error("random scores are drawn afresh for every choice");
    },
    fill: (_eligible, count, out) => {
      for (let j = 0; j < count; j++) out[j] = ctx.rng();
    },
    placed: () => undefined,
  }),
  stop: (tasks, ctx) => tasks.map(() => ctx.rng()),
};
