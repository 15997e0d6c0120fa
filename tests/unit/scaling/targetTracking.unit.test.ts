import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  DEFAULT_SCALING_SETTINGS,
  decideScaling,
  targetTrackingAlarms,
  targetTrackingCapacity,
} from "../../../services/autoscaler/scaling/index.js";
import { cpuPolicy, highAlarm, input, lowAlarm } from "./scalingFixtures.js";

describe("target tracking capacity = ceil(running × metric ÷ target), within [min, max]", () => {
  const cap = (runningTasks: number, metricValue: number, min = 1, max = 100) =>
    targetTrackingCapacity({
      runningTasks,
      metricValue,
      targetValue: 50,
      minCapacity: min,
      maxCapacity: max,
    });

  it("keeps the capacity at the target, doubles it at twice the target, rounds up", () => {
    expect(cap(4, 50)).toBe(4);
    expect(cap(4, 100)).toBe(8);
    expect(cap(4, 60)).toBe(5); // 4.8 → 5
    expect(cap(3, 51)).toBe(4); // 3.06 → 4
    expect(cap(4, 25)).toBe(2);
    expect(cap(4, 30)).toBe(3); // 2.4 → 3
  });

  it("does not add a task for floating point noise", () => {
    expect(
      targetTrackingCapacity({
        runningTasks: 3,
        metricValue: 0.7,
        targetValue: 0.7,
        minCapacity: 0,
        maxCapacity: 9,
      }),
    ).toBe(3);
  });

  it("clamps to min and max", () => {
    expect(cap(4, 1000, 1, 10)).toBe(10);
    expect(cap(4, 0, 2, 10)).toBe(2);
  });

  const bounds = fc
    .tuple(fc.integer({ min: 0, max: 50 }), fc.integer({ min: 0, max: 50 }))
    .map(([a, b]) => [Math.min(a, b), Math.max(a, b)] as const);

  it("property: the result is within [min, max]", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 200 }),
        fc.double({ min: 0, max: 1000, noNaN: true }),
        fc.double({ min: 0.01, max: 1000, noNaN: true }),
        bounds,
        (runningTasks, metricValue, targetValue, [min, max]) => {
          const c = targetTrackingCapacity({
            runningTasks,
            metricValue,
            targetValue,
            minCapacity: min,
            maxCapacity: max,
          });
          return Number.isInteger(c) && c >= min && c <= max;
        },
      ),
    );
  });

  it("property: monotone in the metric", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 200 }),
        fc.double({ min: 0, max: 1000, noNaN: true }),
        fc.double({ min: 0, max: 1000, noNaN: true }),
        fc.double({ min: 0.01, max: 1000, noNaN: true }),
        bounds,
        (runningTasks, m1, m2, targetValue, [min, max]) => {
          const [lo, hi] = m1 <= m2 ? [m1, m2] : [m2, m1];
          const f = (m: number) =>
            targetTrackingCapacity({
              runningTasks,
              metricValue: m,
              targetValue,
              minCapacity: min,
              maxCapacity: max,
            });
          return f(lo) <= f(hi);
        },
      ),
    );
  });
});

describe("target tracking decisions", () => {
  it("the high alarm scales out to the computed capacity", () => {
    expect(decideScaling(input({ alarm: highAlarm(75) }))).toMatchObject({
      kind: "scale",
      direction: "out",
      fromCapacity: 4,
      toCapacity: 6,
      description: "Setting desired count to 6.",
    });
  });

  it("bases the capacity on the tasks that ran in the measured period, not the desired count", () => {
    // Desired 4 but only 2 ran at 100 %: 2 × 100 ÷ 50 = 4 — no scale-out.
    const d = decideScaling(input({ runningTasks: 2, alarm: highAlarm(100) }));
    expect(d).toMatchObject({ kind: "notScaled", reasons: [{ Code: "AlreadyAtDesiredCapacity" }] });
  });

  it("the low alarm scales in", () => {
    expect(decideScaling(input({ alarm: lowAlarm(20) }))).toMatchObject({
      kind: "scale",
      direction: "in",
      toCapacity: 2,
    });
  });

  it("an alarm not in ALARM decides nothing", () => {
    expect(decideScaling(input({ alarm: { ...highAlarm(75), state: "OK" } }))).toEqual({
      kind: "none",
    });
  });

  it("at max: AlreadyAtMaxCapacity with the capacities", () => {
    const d = decideScaling(input({ currentCapacity: 10, runningTasks: 10, alarm: highAlarm(90) }));
    expect(d).toMatchObject({
      kind: "notScaled",
      reasons: [
        { Code: "AlreadyAtMaxCapacity", CurrentCapacity: 10, MaxCapacity: 10, MinCapacity: 1 },
      ],
    });
  });

  it("at min: AlreadyAtMinCapacity", () => {
    const d = decideScaling(input({ currentCapacity: 1, runningTasks: 1, alarm: lowAlarm(5) }));
    expect(d).toMatchObject({ kind: "notScaled", reasons: [{ Code: "AlreadyAtMinCapacity" }] });
  });

  it("no datapoint: InsufficientData", () => {
    expect(decideScaling(input({ alarm: highAlarm(null) }))).toMatchObject({
      kind: "notScaled",
      reasons: [{ Code: "InsufficientData" }],
    });
  });

  it("DisableScaleIn refuses scale-in but still scales out", () => {
    const policy = cpuPolicy({ DisableScaleIn: true });
    expect(decideScaling(input({ policy, alarm: lowAlarm(10) }))).toMatchObject({
      reasons: [{ Code: "ScaleInDisabled" }],
    });
    expect(decideScaling(input({ policy, alarm: highAlarm(100) }))).toMatchObject({
      kind: "scale",
      toCapacity: 8,
    });
  });

  it("suspended scaling refuses with its reason", () => {
    const suspended = {
      DynamicScalingInSuspended: true,
      DynamicScalingOutSuspended: true,
      ScheduledScalingSuspended: false,
    };
    const target = { minCapacity: 1, maxCapacity: 10, suspended };
    expect(decideScaling(input({ target, alarm: highAlarm(100) }))).toMatchObject({
      reasons: [{ Code: "DynamicScalingOutSuspended" }],
    });
    expect(decideScaling(input({ target, alarm: lowAlarm(10) }))).toMatchObject({
      reasons: [{ Code: "DynamicScalingInSuspended" }],
    });
  });

  it("no scale-in while a deployment is in progress; scale-out still happens", () => {
    expect(decideScaling(input({ deploymentInProgress: true, alarm: lowAlarm(10) }))).toMatchObject(
      {
        reasons: [{ Code: "DeploymentInProgress" }],
      },
    );
    expect(
      decideScaling(input({ deploymentInProgress: true, alarm: highAlarm(100) })),
    ).toMatchObject({
      kind: "scale",
    });
  });
});

describe("no scale-in between 90 % and 100 % of the target", () => {
  const settings = DEFAULT_SCALING_SETTINGS;
  const alarmsFor = (target: number) =>
    targetTrackingAlarms({
      policyArn: "arn:policy",
      alarmUuid: "00000000-0000-4000-8000-000000000000",
      resourceId: "service/demo/web",
      clusterName: "demo",
      serviceName: "web",
      config: cpuPolicy({ TargetValue: target }).targetTracking!,
      settings,
    });
  /** Whether a datapoint breaches an alarm's threshold by its comparison. */
  const breaches = (alarm: { ComparisonOperator: string; Threshold: number }, v: number) =>
    alarm.ComparisonOperator === "GreaterThanThreshold" ? v > alarm.Threshold : v < alarm.Threshold;

  it("the policy's alarms: high above the target 3 of 3, low below 90 % 15 of 15", () => {
    const { high, low } = alarmsFor(50);
    expect(high).toMatchObject({
      AlarmName: "TargetTracking-service/demo/web-AlarmHigh-00000000-0000-4000-8000-000000000000",
      Namespace: "AWS/ECS",
      MetricName: "CPUUtilization",
      Dimensions: [
        { Name: "ClusterName", Value: "demo" },
        { Name: "ServiceName", Value: "web" },
      ],
      Statistic: "Average",
      ComparisonOperator: "GreaterThanThreshold",
      Threshold: 50,
      EvaluationPeriods: 3,
      DatapointsToAlarm: 3,
      Period: 60,
      AlarmActions: ["arn:policy"],
      ManagedBy: "arn:policy",
    });
    expect(low).toMatchObject({
      AlarmName: "TargetTracking-service/demo/web-AlarmLow-00000000-0000-4000-8000-000000000000",
      ComparisonOperator: "LessThanThreshold",
      Threshold: 45,
      EvaluationPeriods: 15,
      DatapointsToAlarm: 15,
    });
  });

  it("no low alarm when scale-in is disabled", () => {
    const { low } = targetTrackingAlarms({
      policyArn: "arn:policy",
      alarmUuid: "u",
      resourceId: "service/demo/web",
      clusterName: "demo",
      serviceName: "web",
      config: cpuPolicy({ DisableScaleIn: true }).targetTracking!,
      settings,
    });
    expect(low).toBeUndefined();
  });

  it("property: a metric in [90 %, 100 %] of the target breaches neither alarm, so no policy runs", () => {
    fc.assert(
      fc.property(
        fc.double({ min: 1, max: 1000, noNaN: true }),
        // Strictly above 90 %: at exactly 90 % floating point decides, not the rule.
        fc.double({ min: 0.900001, max: 1, noNaN: true }),
        (target, fraction) => {
          const { high, low } = alarmsFor(target);
          const v = target * fraction;
          return !breaches(high, v) && !breaches(low!, v);
        },
      ),
    );
  });

  it("property: just below 90 % breaches the low alarm, just above the target the high one", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1000 }), (target) => {
        const { high, low } = alarmsFor(target);
        return breaches(low!, target * 0.89) && breaches(high, target * 1.01);
      }),
    );
  });
});
