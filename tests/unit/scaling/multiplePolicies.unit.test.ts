import { describe, expect, it } from "vitest";
import { decideScaling, type PeerPolicy } from "../../../services/autoscaler/scaling/index.js";
import { cpuPolicy, highAlarm, input, lowAlarm } from "./scalingFixtures.js";

const memory = (peer: Partial<PeerPolicy>): PeerPolicy => ({
  policyName: "mem60",
  targetTracking: {
    TargetValue: 60,
    PredefinedMetricSpecification: { PredefinedMetricType: "ECSServiceAverageMemoryUtilization" },
  },
  lowAlarmInAlarm: false,
  metricValue: null,
  ...peer,
});

describe("several target tracking policies on one target", () => {
  it("scale out if any policy says so (the others are not asked)", () => {
    expect(
      decideScaling(
        input({
          peers: [memory({ lowAlarmInAlarm: true, metricValue: 10 })],
          alarm: highAlarm(75),
        }),
      ),
    ).toMatchObject({ kind: "scale", direction: "out", toCapacity: 6 });
  });

  it("scale in only if every scale-in-enabled policy agrees", () => {
    expect(
      decideScaling(
        input({
          peers: [memory({ lowAlarmInAlarm: false, metricValue: 55 })],
          alarm: lowAlarm(20),
        }),
      ),
    ).toMatchObject({ kind: "notScaled", reasons: [{ Code: "OtherPoliciesDisagree" }] });
  });

  it("when all agree, to the largest capacity any of them asks for", () => {
    // CPU: 4 × 20 ÷ 50 = 1.6 → 2; memory: 4 × 40 ÷ 60 = 2.67 → 3.
    expect(
      decideScaling(
        input({ peers: [memory({ lowAlarmInAlarm: true, metricValue: 40 })], alarm: lowAlarm(20) }),
      ),
    ).toMatchObject({ kind: "scale", direction: "in", toCapacity: 3 });
  });

  it("a policy with scale-in disabled has no say in scale-in", () => {
    const peer = memory({
      targetTracking: { ...memory({}).targetTracking, DisableScaleIn: true },
      lowAlarmInAlarm: false,
    });
    expect(decideScaling(input({ peers: [peer], alarm: lowAlarm(20) }))).toMatchObject({
      kind: "scale",
      toCapacity: 2,
    });
  });

  it("a peer that agrees but would not go lower than the current capacity keeps it", () => {
    expect(
      decideScaling(
        input({
          policy: cpuPolicy(),
          peers: [memory({ lowAlarmInAlarm: true, metricValue: 59 })],
          alarm: lowAlarm(20),
        }),
      ),
    ).toMatchObject({ kind: "notScaled", reasons: [{ Code: "AlreadyAtDesiredCapacity" }] });
  });
});
