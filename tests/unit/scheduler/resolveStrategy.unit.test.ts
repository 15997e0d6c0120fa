import { describe, expect, it } from "vitest";
import { isEcsError } from "../../../shared/domain/errors.js";
import {
  BOTH_LAUNCH_TYPE_AND_STRATEGY,
  chooseStrategy,
  sharesOf,
  usesManagedPool,
  type ClusterProviders,
} from "../../../services/scheduler/placement/resolveStrategy.js";

const NONE: ClusterProviders = { capacityProviders: [], defaultCapacityProviderStrategy: [] };
const FARGATE_BOTH: ClusterProviders = {
  capacityProviders: ["FARGATE", "FARGATE_SPOT"],
  defaultCapacityProviderStrategy: [],
};
const SPLIT = [
  { capacityProvider: "FARGATE", base: 1, weight: 1 },
  { capacityProvider: "FARGATE_SPOT", weight: 3 },
];

/** The EcsError a call throws: its type and message. */
const refusal = (fn: () => unknown): { type: string; message: string } => {
  try {
    fn();
  } catch (err) {
    if (isEcsError(err)) return { type: err.type, message: err.message };
    throw err;
  }
  throw new Error("expected an EcsError");
};

describe("chooseStrategy: where a RunTask's tasks go", () => {
  it("no launch type, no strategy, no cluster default: EC2 on the cluster's instances", () => {
    expect(chooseStrategy({}, NONE)).toEqual({ kind: "launchType", launchType: "EC2" });
  });

  it("launchType FARGATE needs no association of the FARGATE provider with the cluster", () => {
    expect(chooseStrategy({ launchType: "FARGATE" }, NONE)).toEqual({
      kind: "launchType",
      launchType: "FARGATE",
    });
  });

  it("an explicit launch type wins over the cluster's default strategy", () => {
    const cluster = { ...FARGATE_BOTH, defaultCapacityProviderStrategy: SPLIT };
    expect(chooseStrategy({ launchType: "EC2" }, cluster)).toEqual({
      kind: "launchType",
      launchType: "EC2",
    });
  });

  it("both a launch type and a strategy: ECS's InvalidParameterException", () => {
    expect(
      refusal(() =>
        chooseStrategy({ launchType: "FARGATE", capacityProviderStrategy: SPLIT }, FARGATE_BOTH),
      ),
    ).toEqual({ type: "InvalidParameterException", message: BOTH_LAUNCH_TYPE_AND_STRATEGY });
  });

  it("an empty strategy counts as none (the launch type alone is fine)", () => {
    expect(chooseStrategy({ launchType: "FARGATE", capacityProviderStrategy: [] }, NONE)).toEqual({
      kind: "launchType",
      launchType: "FARGATE",
    });
  });

  it("EXTERNAL and MANAGED_INSTANCES are refused, naming the field", () => {
    for (const launchType of ["EXTERNAL", "MANAGED_INSTANCES"] as const) {
      const r = refusal(() => chooseStrategy({ launchType }, NONE));
      expect(r.type).toBe("InvalidParameterException");
      expect(r.message).toMatch(/^launchType: /);
    }
  });

  it("an explicit strategy is the request's, validated against the cluster's providers", () => {
    expect(chooseStrategy({ capacityProviderStrategy: SPLIT }, FARGATE_BOTH)).toEqual({
      kind: "strategy",
      strategy: SPLIT,
      source: "request",
    });
  });

  it("FARGATE_SPOT in a strategy must be associated with the cluster, as ECS requires", () => {
    const r = refusal(() =>
      chooseStrategy(
        { capacityProviderStrategy: SPLIT },
        { capacityProviders: ["FARGATE"], defaultCapacityProviderStrategy: [] },
      ),
    );
    expect(r.type).toBe("InvalidParameterException");
    expect(r.message).toContain("not associated with the cluster (FARGATE_SPOT)");
    expect(r.message).toMatch(/^capacityProviderStrategy: /);
  });

  it("a strategy mixing Fargate and Auto Scaling group providers is refused", () => {
    const r = refusal(() =>
      chooseStrategy(
        {
          capacityProviderStrategy: [
            { capacityProvider: "FARGATE", weight: 1 },
            { capacityProvider: "web-asg", weight: 1 },
          ],
        },
        { capacityProviders: ["FARGATE", "web-asg"], defaultCapacityProviderStrategy: [] },
      ),
    );
    expect(r.message).toContain("cannot contain a mix");
  });

  it("the field name is the caller's (CreateService reuses the resolver)", () => {
    const r = refusal(() =>
      chooseStrategy(
        { capacityProviderStrategy: [{ capacityProvider: "FARGATE", weight: 0 }] },
        FARGATE_BOTH,
        "service.capacityProviderStrategy",
      ),
    );
    expect(r.message).toMatch(/^service\.capacityProviderStrategy: at least one/);
  });

  it("neither given: the cluster's default strategy", () => {
    const cluster = { ...FARGATE_BOTH, defaultCapacityProviderStrategy: SPLIT };
    expect(chooseStrategy({}, cluster)).toEqual({
      kind: "strategy",
      strategy: SPLIT,
      source: "clusterDefault",
    });
  });
});

describe("sharesOf: the RunTask split over providers", () => {
  it("FARGATE base 1 weight 1 + FARGATE_SPOT weight 3 at 9 tasks: 3 + 6, each a FARGATE launch", () => {
    const shares = sharesOf({ kind: "strategy", strategy: SPLIT, source: "request" }, 9);
    expect(shares).toEqual([
      { provider: "FARGATE", capacityProviderName: "FARGATE", launchType: "FARGATE", count: 3 },
      {
        provider: "FARGATE_SPOT",
        capacityProviderName: "FARGATE_SPOT",
        launchType: "FARGATE",
        count: 6,
      },
    ]);
  });

  it("one task goes to the base first", () => {
    const shares = sharesOf({ kind: "strategy", strategy: SPLIT, source: "request" }, 1);
    expect(shares.map((s) => s.count)).toEqual([1, 0]);
  });

  it("an instance-based provider's tasks are EC2 launches that name their provider", () => {
    const shares = sharesOf(
      {
        kind: "strategy",
        strategy: [
          { capacityProvider: "web-asg", weight: 1 },
          { capacityProvider: "batch-asg", weight: 1 },
        ],
        source: "clusterDefault",
      },
      5,
    );
    expect(shares).toEqual([
      { provider: "web-asg", capacityProviderName: "web-asg", launchType: "EC2", count: 3 },
      { provider: "batch-asg", capacityProviderName: "batch-asg", launchType: "EC2", count: 2 },
    ]);
  });

  it("a launch type: every task to it, no capacity provider named", () => {
    expect(sharesOf({ kind: "launchType", launchType: "FARGATE" }, 4)).toEqual([
      { provider: "FARGATE", capacityProviderName: undefined, launchType: "FARGATE", count: 4 },
    ]);
    expect(sharesOf({ kind: "launchType", launchType: "EC2" }, 2)).toEqual([
      { provider: undefined, capacityProviderName: undefined, launchType: "EC2", count: 2 },
    ]);
  });

  it("usesManagedPool: FARGATE launches and Fargate strategies, not EC2 ones", () => {
    expect(usesManagedPool({ kind: "launchType", launchType: "FARGATE" })).toBe(true);
    expect(usesManagedPool({ kind: "launchType", launchType: "EC2" })).toBe(false);
    expect(usesManagedPool({ kind: "strategy", strategy: SPLIT, source: "request" })).toBe(true);
    expect(
      usesManagedPool({
        kind: "strategy",
        strategy: [{ capacityProvider: "web-asg", weight: 1 }],
        source: "request",
      }),
    ).toBe(false);
  });
});
