import { describe, expect, it } from "vitest";
import { decideScaling } from "../../../services/autoscaler/scaling/index.js";
import { at, cpuPolicy, highAlarm, input, lowAlarm } from "./scalingFixtures.js";

/** Cooldowns on the virtual clock: ScaleOutCooldown 300 s, ScaleInCooldown 600 s. */
const policy = cpuPolicy({ ScaleOutCooldown: 300, ScaleInCooldown: 600 });

describe("ScaleOutCooldown", () => {
  // A scale-out 4 → 6 began at t = 0.
  const history = { lastScaleOut: { at: at(0), fromCapacity: 4, toCapacity: 6 } };

  it("lets through only a scale-out larger than the one in progress", () => {
    // 6 tasks at 55 %: 6.6 → 7 > 6: through.
    expect(
      decideScaling(
        input({
          now: at(60),
          policy,
          history,
          currentCapacity: 6,
          runningTasks: 6,
          alarm: highAlarm(55),
        }),
      ),
    ).toMatchObject({ kind: "scale", toCapacity: 7 });
    // The metric still describes the 4 tasks before: 4 × 75 ÷ 50 = 6, not larger than 6.
    expect(
      decideScaling(
        input({
          now: at(60),
          policy,
          history,
          currentCapacity: 6,
          runningTasks: 4,
          alarm: highAlarm(75),
        }),
      ),
    ).toMatchObject({ kind: "notScaled", reasons: [{ Code: "AlreadyAtDesiredCapacity" }] });
  });

  it("refuses a scale-out no larger than the one in progress, with ScaleOutCooldown", () => {
    // Desired count set back to 4 by hand meanwhile; 4 × 75 ÷ 50 = 6 is the one in progress.
    expect(
      decideScaling(
        input({
          now: at(299),
          policy,
          history,
          currentCapacity: 4,
          runningTasks: 4,
          alarm: highAlarm(75),
        }),
      ),
    ).toMatchObject({ kind: "notScaled", reasons: [{ Code: "ScaleOutCooldown" }] });
  });

  it("is over after its seconds", () => {
    expect(
      decideScaling(
        input({
          now: at(300),
          policy,
          history,
          currentCapacity: 4,
          runningTasks: 4,
          alarm: highAlarm(75),
        }),
      ),
    ).toMatchObject({ kind: "scale", toCapacity: 6 });
  });

  it("defaults to 300 s for ECS", () => {
    const p = cpuPolicy();
    const base = { policy: p, history, currentCapacity: 4, runningTasks: 4, alarm: highAlarm(75) };
    expect(decideScaling(input({ ...base, now: at(299) }))).toMatchObject({ kind: "notScaled" });
    expect(decideScaling(input({ ...base, now: at(300) }))).toMatchObject({ kind: "scale" });
  });
});

describe("ScaleInCooldown", () => {
  const scaledIn = { lastScaleIn: { at: at(0) } };

  it("blocks scale-in until it is over", () => {
    const base = { policy, history: scaledIn, alarm: lowAlarm(20) };
    expect(decideScaling(input({ ...base, now: at(599) }))).toMatchObject({
      kind: "notScaled",
      reasons: [{ Code: "ScaleInCooldown" }],
    });
    expect(decideScaling(input({ ...base, now: at(600) }))).toMatchObject({
      kind: "scale",
      direction: "in",
    });
  });

  it("does not block scale-out", () => {
    expect(
      decideScaling(input({ policy, history: scaledIn, now: at(10), alarm: highAlarm(100) })),
    ).toMatchObject({ kind: "scale", direction: "out" });
  });

  it("is cancelled by a scale-out", () => {
    const history = {
      lastScaleIn: { at: at(0) },
      lastScaleOut: { at: at(100), fromCapacity: 3, toCapacity: 4 },
    };
    expect(
      decideScaling(input({ policy, history, now: at(200), alarm: lowAlarm(20) })),
    ).toMatchObject({ kind: "scale", direction: "in", toCapacity: 2 });
  });
});
