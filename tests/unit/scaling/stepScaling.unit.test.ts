import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  applyAdjustment,
  decideScaling,
  findStepAdjustment,
  percentChange,
  type AlarmInvocation,
  type ScalingPolicyView,
} from "../../../services/autoscaler/scaling/index.js";
import type { StepScalingPolicyConfiguration } from "../../../shared/domain/scaling/scalingPolicyConfiguration.js";
import { at, input } from "./scalingFixtures.js";

/**
 * AWS's worked example (Application Auto Scaling user guide, step scaling):
 * alarm threshold 50, current capacity 10; scale-out steps [0, 10) → 0,
 * [10, 20) → +10 %, [20, ∞) → +30 %; scale-in steps (-10, 0] → 0,
 * (-20, -10] → -10 %, (-∞, -20] → -30 %.
 */
const scaleOut: StepScalingPolicyConfiguration = {
  AdjustmentType: "PercentChangeInCapacity",
  StepAdjustments: [
    { MetricIntervalLowerBound: 0, MetricIntervalUpperBound: 10, ScalingAdjustment: 0 },
    { MetricIntervalLowerBound: 10, MetricIntervalUpperBound: 20, ScalingAdjustment: 10 },
    { MetricIntervalLowerBound: 20, ScalingAdjustment: 30 },
  ],
};
const scaleIn: StepScalingPolicyConfiguration = {
  AdjustmentType: "PercentChangeInCapacity",
  StepAdjustments: [
    { MetricIntervalLowerBound: -10, MetricIntervalUpperBound: 0, ScalingAdjustment: 0 },
    { MetricIntervalLowerBound: -20, MetricIntervalUpperBound: -10, ScalingAdjustment: -10 },
    { MetricIntervalUpperBound: -20, ScalingAdjustment: -30 },
  ],
};
const stepPolicy = (step: StepScalingPolicyConfiguration): ScalingPolicyView => ({
  policyName: "steps",
  policyType: "StepScaling",
  step,
});
const outAlarm = (metricValue: number | null) => ({
  alarmName: "high",
  state: "ALARM" as const,
  threshold: 50,
  comparisonOperator: "GreaterThanOrEqualToThreshold" as const,
  metricValue,
});
const inAlarm = (metricValue: number | null) => ({
  ...outAlarm(metricValue),
  alarmName: "low",
  comparisonOperator: "LessThanOrEqualToThreshold" as const,
});
const tenTasks = {
  currentCapacity: 10,
  runningTasks: 10,
  target: {
    minCapacity: 1,
    maxCapacity: 100,
    suspended: {
      DynamicScalingInSuspended: false,
      DynamicScalingOutSuspended: false,
      ScheduledScalingSuspended: false,
    },
  },
};

describe("step bounds: relative to the threshold, AWS's inclusive / exclusive rules", () => {
  const steps = [...scaleIn.StepAdjustments!, ...scaleOut.StepAdjustments!];
  const adjustmentAt = (breach: number) => findStepAdjustment(steps, breach)?.ScalingAdjustment;

  it("above the threshold the lower bound is inclusive and the upper exclusive", () => {
    expect(adjustmentAt(0)).toBe(0);
    expect(adjustmentAt(9.99)).toBe(0);
    expect(adjustmentAt(10)).toBe(10);
    expect(adjustmentAt(19.99)).toBe(10);
    expect(adjustmentAt(20)).toBe(30);
  });

  it("below the threshold the lower bound is exclusive and the upper inclusive", () => {
    expect(adjustmentAt(-0.01)).toBe(0);
    expect(adjustmentAt(-9.99)).toBe(0);
    expect(adjustmentAt(-10)).toBe(-10); // (-20, -10]
    expect(adjustmentAt(-19.99)).toBe(-10);
    expect(adjustmentAt(-20)).toBe(-30); // (-∞, -20]
  });

  it("property: every breach falls in exactly one step of a gapless set", () => {
    fc.assert(
      fc.property(fc.double({ min: -1e6, max: 1e6, noNaN: true }), (breach) => {
        const matching = steps.filter((s) => findStepAdjustment([s], breach) !== undefined);
        return matching.length === 1;
      }),
    );
  });
});

describe("AWS's worked example", () => {
  const decide = (config: StepScalingPolicyConfiguration, alarm: AlarmInvocation) =>
    decideScaling(input({ ...tenTasks, policy: stepPolicy(config), alarm }));

  it("metric 60 adds 10 % of 10 = 1 task; 70 adds 30 % = 3", () => {
    expect(decide(scaleOut, outAlarm(60))).toMatchObject({ kind: "scale", toCapacity: 11 });
    expect(decide(scaleOut, outAlarm(70))).toMatchObject({ kind: "scale", toCapacity: 13 });
  });

  it("metric 55 is in the 0 step: no change", () => {
    expect(decide(scaleOut, outAlarm(55))).toMatchObject({
      kind: "notScaled",
      reasons: [{ Code: "AlreadyAtDesiredCapacity" }],
    });
  });

  it("metric 40 removes 10 % = 1 task (-10 is the inclusive upper bound of (-20, -10]); 30 removes 30 % = 3", () => {
    expect(decide(scaleIn, inAlarm(40))).toMatchObject({ kind: "scale", toCapacity: 9 });
    expect(decide(scaleIn, inAlarm(30))).toMatchObject({ kind: "scale", toCapacity: 7 });
  });
});

describe("PercentChangeInCapacity rounding", () => {
  it("rounds toward zero", () => {
    expect(percentChange(10, 15)).toBe(1); // 1.5 → 1
    expect(percentChange(10, 29)).toBe(2); // 2.9 → 2
    expect(percentChange(10, -29)).toBe(-2); // -2.9 → -2
    expect(percentChange(3, -250)).toBe(-7); // -7.5 → -7
  });

  it("never to zero", () => {
    expect(percentChange(4, 10)).toBe(1); // 0.4 → 1
    expect(percentChange(4, -10)).toBe(-1); // -0.4 → -1
    expect(percentChange(0, 50)).toBe(0); // nothing to take a percent of
  });

  it("at least MinAdjustmentMagnitude tasks either way", () => {
    expect(percentChange(10, 10, 2)).toBe(2); // 1 → 2
    expect(percentChange(10, -10, 3)).toBe(-3);
    expect(percentChange(100, 10, 2)).toBe(10); // already larger
  });

  it("property: the change is toward zero of the exact percent, never zero, at least the magnitude", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1000 }),
        fc.integer({ min: -100, max: 1000 }).filter((p) => p !== 0),
        fc.option(fc.integer({ min: 1, max: 20 }), { nil: undefined }),
        (capacity, percent, mam) => {
          const exact = (capacity * percent) / 100;
          const c = percentChange(capacity, percent, mam);
          const floorMag = Math.max(1, Math.floor(Math.abs(exact)), mam ?? 0);
          return Math.sign(c) === Math.sign(exact) && Math.abs(c) === floorMag;
        },
      ),
    );
  });
});

describe("adjustment types", () => {
  it("ChangeInCapacity adds, ExactCapacity sets", () => {
    expect(applyAdjustment("ChangeInCapacity", 3, 4)).toBe(7);
    expect(applyAdjustment("ChangeInCapacity", -2, 4)).toBe(2);
    expect(applyAdjustment("ExactCapacity", 6, 4)).toBe(6);
  });

  it("the result is clamped to [min, max], and at max the reason is AlreadyAtMaxCapacity", () => {
    const policy = stepPolicy({
      AdjustmentType: "ChangeInCapacity",
      StepAdjustments: [{ MetricIntervalLowerBound: 0, ScalingAdjustment: 50 }],
    });
    const target = { ...tenTasks.target, maxCapacity: 12 };
    expect(
      decideScaling(input({ ...tenTasks, target, policy, alarm: outAlarm(60) })),
    ).toMatchObject({
      kind: "scale",
      toCapacity: 12,
    });
    expect(
      decideScaling(
        input({ ...tenTasks, target, currentCapacity: 12, policy, alarm: outAlarm(60) }),
      ),
    ).toMatchObject({ kind: "notScaled", reasons: [{ Code: "AlreadyAtMaxCapacity" }] });
  });

  it("a breach no step covers: NoStepAdjustment", () => {
    const policy = stepPolicy({
      AdjustmentType: "ChangeInCapacity",
      StepAdjustments: [{ MetricIntervalLowerBound: 10, ScalingAdjustment: 1 }],
    });
    expect(decideScaling(input({ ...tenTasks, policy, alarm: outAlarm(55) }))).toMatchObject({
      reasons: [{ Code: "NoStepAdjustment" }],
    });
  });
});

describe("step scaling Cooldown (as AWS documents it for ECS)", () => {
  const change = (n: number) =>
    stepPolicy({
      AdjustmentType: "ChangeInCapacity",
      Cooldown: 300,
      StepAdjustments: [{ MetricIntervalLowerBound: 0, ScalingAdjustment: n }],
    });

  it("a scale-out of 2 in progress, then a step of 3: the 2 count as there, so 1 more task", () => {
    const history = { lastScaleOut: { at: at(0), fromCapacity: 10, toCapacity: 12 } };
    expect(
      decideScaling(
        input({
          ...tenTasks,
          currentCapacity: 12,
          history,
          now: at(60),
          policy: change(3),
          alarm: outAlarm(60),
        }),
      ),
    ).toMatchObject({ kind: "scale", fromCapacity: 12, toCapacity: 13 });
  });

  it("the same step again during the cooldown adds nothing (Cooldown)", () => {
    const history = { lastScaleOut: { at: at(0), fromCapacity: 10, toCapacity: 12 } };
    expect(
      decideScaling(
        input({
          ...tenTasks,
          currentCapacity: 12,
          history,
          now: at(60),
          policy: change(2),
          alarm: outAlarm(60),
        }),
      ),
    ).toMatchObject({ kind: "notScaled", reasons: [{ Code: "Cooldown" }] });
    expect(
      decideScaling(
        input({
          ...tenTasks,
          currentCapacity: 12,
          history,
          now: at(300),
          policy: change(2),
          alarm: outAlarm(60),
        }),
      ),
    ).toMatchObject({ kind: "scale", toCapacity: 14 });
  });

  it("a scale-in waits for the cooldown of the last scale-in", () => {
    const policy = stepPolicy({
      AdjustmentType: "ChangeInCapacity",
      Cooldown: 300,
      StepAdjustments: [{ MetricIntervalUpperBound: 0, ScalingAdjustment: -1 }],
    });
    const history = { lastScaleIn: { at: at(0) } };
    expect(
      decideScaling(input({ ...tenTasks, history, now: at(299), policy, alarm: inAlarm(40) })),
    ).toMatchObject({ kind: "notScaled", reasons: [{ Code: "Cooldown" }] });
    expect(
      decideScaling(input({ ...tenTasks, history, now: at(300), policy, alarm: inAlarm(40) })),
    ).toMatchObject({ kind: "scale", toCapacity: 9 });
  });

  it("no scale-in while a deployment is in progress", () => {
    const policy = stepPolicy({
      AdjustmentType: "ChangeInCapacity",
      StepAdjustments: [{ MetricIntervalUpperBound: 0, ScalingAdjustment: -1 }],
    });
    expect(
      decideScaling(input({ ...tenTasks, deploymentInProgress: true, policy, alarm: inAlarm(40) })),
    ).toMatchObject({ reasons: [{ Code: "DeploymentInProgress" }] });
  });
});
