import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { EcsError } from "../../../shared/domain/errors.js";
import {
  newTasksByProvider,
  splitByStrategy,
  validateStrategy,
  type CapacityProviderStrategy,
} from "../../../shared/domain/capacityProviders/strategy.js";

/**
 * A strategy validateStrategy accepts: 1–6 distinct providers (instance-based
 * names; the pool/ASG mix is tested apart), weights 0–1000 with at least one
 * above 0, at most one base above 0.
 */
const validStrategy: fc.Arbitrary<CapacityProviderStrategy> = fc
  .record({
    weights: fc.array(fc.integer({ min: 0, max: 1000 }), { minLength: 1, maxLength: 6 }),
    base: fc.integer({ min: 0, max: 50 }),
    baseAt: fc.nat(),
    forceWeightAt: fc.nat(),
    forceWeight: fc.integer({ min: 1, max: 1000 }),
  })
  .map(({ weights, base, baseAt, forceWeightAt, forceWeight }) => {
    const w = [...weights];
    if (!w.some((x) => x > 0)) w[forceWeightAt % w.length] = forceWeight;
    const b = baseAt % w.length;
    return w.map((weight, i) => ({
      capacityProvider: `cp-${i}`,
      weight,
      ...(i === b ? { base } : {}),
    }));
  });

const sum = (xs: readonly number[]): number => xs.reduce((s, n) => s + n, 0);
const total = fc.integer({ min: 0, max: 500 });

describe("splitByStrategy (ECS: base first, then the rest by weight)", () => {
  it("every generated strategy is one validateStrategy accepts", () => {
    fc.assert(
      fc.property(validStrategy, (s) => {
        expect(() => validateStrategy(s, "capacityProviderStrategy")).not.toThrow();
      }),
    );
  });

  it("splits exactly the total, never a negative count, one count per item", () => {
    fc.assert(
      fc.property(validStrategy, total, (s, n) => {
        const split = splitByStrategy(s, n);
        expect(split).toHaveLength(s.length);
        expect(sum(split)).toBe(n);
        expect(split.every((c) => Number.isInteger(c) && c >= 0)).toBe(true);
      }),
    );
  });

  it("honours the base: its provider gets at least min(base, total)", () => {
    fc.assert(
      fc.property(validStrategy, total, (s, n) => {
        const split = splitByStrategy(s, n);
        s.forEach((item, i) =>
          expect(split[i]).toBeGreaterThanOrEqual(Math.min(item.base ?? 0, n)),
        );
      }),
    );
  });

  it("a weight-0 provider gets its base and nothing more", () => {
    fc.assert(
      fc.property(validStrategy, total, (s, n) => {
        const split = splitByStrategy(s, n);
        s.forEach((item, i) => {
          if ((item.weight ?? 0) === 0) expect(split[i]).toBe(Math.min(item.base ?? 0, n));
        });
      }),
    );
  });

  it("is monotone: the split of n + 1 is the split of n plus exactly one task", () => {
    fc.assert(
      fc.property(validStrategy, total, (s, n) => {
        const now = splitByStrategy(s, n);
        const next = splitByStrategy(s, n + 1);
        const grew = next.map((c, i) => c - now[i]!);
        expect(grew.every((d) => d >= 0)).toBe(true);
        expect(sum(grew)).toBe(1);
      }),
    );
  });

  it("with two weighted providers, each is within ½ (rounded) of its exact share beyond the base", () => {
    const two = fc
      .tuple(fc.integer({ min: 1, max: 1000 }), fc.integer({ min: 1, max: 1000 }))
      .map(([w0, w1]) => [
        { capacityProvider: "a", weight: w0 },
        { capacityProvider: "b", weight: w1 },
      ]);
    fc.assert(
      fc.property(two, total, (s, n) => {
        const split = splitByStrategy(s, n);
        const weights = s[0]!.weight + s[1]!.weight;
        s.forEach((item, i) => {
          const exact = (n * item.weight) / weights;
          expect(Math.abs(split[i]! - exact)).toBeLessThanOrEqual(0.5 + 1e-9);
        });
      }),
    );
  });

  it("beyond the base, each provider stays within 2 of its exact weighted share", () => {
    fc.assert(
      fc.property(validStrategy, total, (s, n) => {
        const split = splitByStrategy(s, n);
        const bases = s.map((item) => Math.min(item.base ?? 0, n));
        const rest = n - sum(bases);
        const weights = sum(s.map((item) => item.weight ?? 0));
        s.forEach((item, i) => {
          const exact = (rest * (item.weight ?? 0)) / weights;
          expect(Math.abs(split[i]! - bases[i]! - exact)).toBeLessThan(2);
        });
      }),
    );
  });

  it("weights 28/17/48: 8 tasks split 2+2+4 and 9 tasks 3+2+4 (no Alabama paradox)", () => {
    const s = [
      { capacityProvider: "a", weight: 28 },
      { capacityProvider: "b", weight: 17 },
      { capacityProvider: "c", weight: 48 },
    ];
    expect(splitByStrategy(s, 8)).toEqual([2, 2, 4]);
    expect(splitByStrategy(s, 9)).toEqual([3, 2, 4]);
  });

  it("FARGATE base 1 weight 1 + FARGATE_SPOT weight 3 at 9 tasks is 3 + 6 (the issue's example)", () => {
    const strategy = [
      { capacityProvider: "FARGATE", base: 1, weight: 1 },
      { capacityProvider: "FARGATE_SPOT", weight: 3 },
    ];
    expect(splitByStrategy(strategy, 9)).toEqual([3, 6]);
    expect(splitByStrategy(strategy, 1)).toEqual([1, 0]);
    expect(splitByStrategy(strategy, 0)).toEqual([0, 0]);
    expect(splitByStrategy(strategy, 5)).toEqual([2, 3]);
  });

  it("gives each next task to the highest weight / (tasks + ½), the earlier provider on a tie", () => {
    const even = [
      { capacityProvider: "a", weight: 1 },
      { capacityProvider: "b", weight: 1 },
    ];
    expect(splitByStrategy(even, 3)).toEqual([2, 1]);
    const thirds = [
      { capacityProvider: "a", weight: 1 },
      { capacityProvider: "b", weight: 2 },
    ];
    // b first (2 / ½ = 4), then a (1 / ½ = 2 beats 2 / 1½ = 1.33).
    expect(splitByStrategy(thirds, 1)).toEqual([0, 1]);
    expect(splitByStrategy(thirds, 2)).toEqual([1, 1]);
  });
});

/** Tasks already running under the strategy: some count per provider, some unknown providers too. */
const existingFor = (s: CapacityProviderStrategy) =>
  fc
    .tuple(
      fc.array(fc.integer({ min: 0, max: 60 }), { minLength: s.length, maxLength: s.length }),
      fc.integer({ min: 0, max: 5 }),
    )
    .map(([counts, stray]) => {
      const m = new Map(s.map((item, i) => [item.capacityProvider, counts[i]!]));
      if (stray > 0) m.set("not-in-the-strategy", stray);
      return m;
    });

describe("newTasksByProvider (placing new tasks next to running ones)", () => {
  const scenario = validStrategy.chain((s) =>
    fc.record({
      s: fc.constant(s),
      existing: existingFor(s),
      count: fc.integer({ min: 0, max: 200 }),
    }),
  );

  it("places exactly `count` tasks, never a negative number anywhere", () => {
    fc.assert(
      fc.property(scenario, ({ s, existing, count }) => {
        const out = newTasksByProvider(s, existing, count);
        expect(out).toHaveLength(s.length);
        expect(sum(out)).toBe(count);
        expect(out.every((c) => Number.isInteger(c) && c >= 0)).toBe(true);
      }),
    );
  });

  it("never takes a weight-0 provider past its base", () => {
    fc.assert(
      fc.property(scenario, ({ s, existing, count }) => {
        const out = newTasksByProvider(s, existing, count);
        s.forEach((item, i) => {
          if ((item.weight ?? 0) > 0) return;
          const now = existing.get(item.capacityProvider) ?? 0;
          expect(now + out[i]!).toBeLessThanOrEqual(Math.max(now, item.base ?? 0));
        });
      }),
    );
  });

  it("never gives a provider more than takes it to its share of the new total", () => {
    fc.assert(
      fc.property(scenario, ({ s, existing, count }) => {
        const out = newTasksByProvider(s, existing, count);
        const now = s.map((item) => existing.get(item.capacityProvider) ?? 0);
        const target = splitByStrategy(s, sum(now) + count);
        out.forEach((c, i) => {
          if (c > 0) expect(now[i]! + c).toBeLessThanOrEqual(target[i]!);
        });
      }),
    );
  });

  it("from nothing, places exactly the split", () => {
    fc.assert(
      fc.property(validStrategy, total, (s, n) => {
        expect(newTasksByProvider(s, new Map(), n)).toEqual(splitByStrategy(s, n));
      }),
    );
  });

  it("from any running set below the split of the new total, places exactly what is missing", () => {
    const below = validStrategy.chain((s) =>
      fc.record({
        s: fc.constant(s),
        n: total,
        lost: fc.array(fc.double({ min: 0, max: 1, noNaN: true }), {
          minLength: s.length,
          maxLength: s.length,
        }),
      }),
    );
    fc.assert(
      fc.property(below, ({ s, n, lost }) => {
        const target = splitByStrategy(s, n);
        const running = target.map((t, i) => Math.floor(t * (1 - lost[i]!)));
        const existing = new Map(s.map((item, i) => [item.capacityProvider, running[i]!]));
        const missing = n - sum(running);
        expect(newTasksByProvider(s, existing, missing)).toEqual(
          target.map((t, i) => t - running[i]!),
        );
      }),
    );
  });

  it("started one task at a time, the running set is always the split of its total", () => {
    fc.assert(
      fc.property(validStrategy, fc.integer({ min: 0, max: 60 }), (s, n) => {
        const running = new Map<string, number>();
        for (let k = 0; k < n; k++) {
          const one = newTasksByProvider(s, running, 1);
          s.forEach((item, i) => {
            running.set(item.capacityProvider, (running.get(item.capacityProvider) ?? 0) + one[i]!);
          });
        }
        expect(s.map((item) => running.get(item.capacityProvider) ?? 0)).toEqual(
          splitByStrategy(s, n),
        );
      }),
    );
  });

  it("replacing interrupted FARGATE_SPOT tasks restores the 3 + 6 split", () => {
    const strategy = [
      { capacityProvider: "FARGATE", base: 1, weight: 1 },
      { capacityProvider: "FARGATE_SPOT", weight: 3 },
    ];
    const afterInterruption = new Map([
      ["FARGATE", 3],
      ["FARGATE_SPOT", 2],
    ]);
    expect(newTasksByProvider(strategy, afterInterruption, 4)).toEqual([0, 4]);
  });
});

describe("validateStrategy (ECS's checks)", () => {
  const refused = (s: CapacityProviderStrategy, associated?: readonly string[]): EcsError => {
    try {
      validateStrategy(s, "capacityProviderStrategy", associated);
    } catch (err) {
      if (err instanceof EcsError) return err;
      throw err;
    }
    throw new Error("expected the strategy to be refused");
  };

  it("accepts an empty strategy (the cluster's default applies)", () => {
    expect(() => validateStrategy([], "capacityProviderStrategy")).not.toThrow();
  });

  it("refuses two bases, no weight, a provider named twice, more than 20 providers", () => {
    expect(
      refused([
        { capacityProvider: "a", base: 1, weight: 1 },
        { capacityProvider: "b", base: 2, weight: 1 },
      ]).message,
    ).toMatch(/only one capacity provider in a strategy can have a base/);
    expect(refused([{ capacityProvider: "a", weight: 0, base: 3 }]).message).toMatch(
      /at least one capacity provider must have a weight greater than 0/,
    );
    expect(
      refused([
        { capacityProvider: "a", weight: 1 },
        { capacityProvider: "a", weight: 2 },
      ]).message,
    ).toMatch(/named more than once/);
    const many = Array.from({ length: 21 }, (_, i) => ({ capacityProvider: `p${i}`, weight: 1 }));
    expect(refused(many).message).toMatch(/at most 20/);
  });

  it("refuses a mix of Fargate and Auto Scaling group providers with ECS's message", () => {
    const err = refused([
      { capacityProvider: "FARGATE", weight: 1 },
      { capacityProvider: "web-asg", weight: 1 },
    ]);
    expect(err.type).toBe("InvalidParameterException");
    expect(err.message).toContain(
      "cannot contain a mix of capacity providers using Auto Scaling groups and Fargate providers",
    );
  });

  it("refuses a provider the cluster does not have, naming it", () => {
    const err = refused([{ capacityProvider: "FARGATE_SPOT", weight: 1 }], ["FARGATE"]);
    expect(err.message).toContain("not associated with the cluster (FARGATE_SPOT)");
  });

  it("any strategy with two positive bases is refused, whatever else it holds", () => {
    fc.assert(
      fc.property(
        validStrategy.filter((s) => s.length >= 2),
        fc.integer({ min: 1, max: 50 }),
        (s, extra) => {
          const twoBases = s.map((item, i) => ({ ...item, base: i < 2 ? extra : 0 }));
          expect(() => validateStrategy(twoBases, "capacityProviderStrategy")).toThrow(EcsError);
        },
      ),
    );
  });
});
