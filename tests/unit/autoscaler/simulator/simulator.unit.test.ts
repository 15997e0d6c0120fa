import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { simulate } from "../../../../services/autoscaler/simulator/index.js";
import { EcsError } from "../../../../shared/domain/errors.js";

const example = (name: string) =>
  JSON.parse(
    readFileSync(new URL(`../../../../docs/examples/${name}`, import.meta.url), "utf8"),
  ) as Record<string, unknown>;

const scaled = (out: Awaited<ReturnType<typeof simulate>>) =>
  out.ScalingActivities.filter((a) => a.StatusCode === "Successful").map((a) => [
    a.StartTime.slice(11, 16),
    a.Description,
  ]);

describe("simulator: target tracking example (docs/examples/simulate-target-tracking.json)", () => {
  it("scales out after 3 high periods, to ceil(running × metric ÷ target), and back in after 15 low", async () => {
    const out = await simulate(example("simulate-target-tracking.json"));
    const high = out.ScalingPolicies[0]!.Alarms.find((a) => a.AlarmName.includes("AlarmHigh"))!;
    const toAlarm = out.AlarmTransitions.filter((t) => t.NewState === "ALARM");
    // Load 300 on 2 tasks = 150 % from 00:20; the third high period (00:22) ends at 00:23.
    expect(toAlarm[0]).toMatchObject({
      AlarmName: high.AlarmName,
      Timestamp: "2026-01-01T00:23:00.000Z",
    });
    expect(toAlarm[0]!.StateReason).toMatch(/^Threshold Crossed: 3 out of the last 3 datapoints/);
    expect(scaled(out)).toEqual([
      ["00:23", "Setting desired count to 6."], // ceil(2 × 150 / 50)
      ["00:50", "Setting desired count to 2."], // 60 on 6 tasks = 10 % from 00:35; 15 low periods
    ]);
    // The new tasks run after the start delay, and bring the utilisation to the target.
    expect(out.Capacity).toContainEqual({
      Timestamp: "2026-01-01T00:24:00.000Z",
      DesiredCount: 6,
      RunningCount: 6,
    });
    expect(out.AlarmTransitions).toContainEqual(
      expect.objectContaining({ AlarmName: high.AlarmName, OldState: "ALARM", NewState: "OK" }),
    );
    // While the low alarm stays in ALARM the policy runs every period and says why it did nothing.
    const notScaled = out.ScalingActivities.filter((a) => a.NotScaledReasons);
    expect(notScaled.length).toBeGreaterThan(0);
    for (const a of notScaled) {
      expect(a.StatusCode).toBe("Failed");
      expect(a.NotScaledReasons![0]).toMatchObject({
        Code: "AlreadyAtDesiredCapacity",
        CurrentCapacity: 2,
      });
    }
    expect(out.Summary).toMatchObject({ ScaleOuts: 1, ScaleIns: 1, FinalDesiredCount: 2 });
  });

  it("is deterministic: the same input prints the same output", async () => {
    const a = await simulate(example("simulate-target-tracking.json"));
    const b = await simulate(example("simulate-target-tracking.json"));
    expect(a).toEqual(b);
  });

  it("takes the target tracking alarms' shape from the input (Flotilla's extension)", async () => {
    const input = example("simulate-target-tracking.json");
    const out = await simulate({ ...input, TargetTrackingAlarms: { ScaleOutPeriods: 2 } });
    expect(scaled(out)[0]).toEqual(["00:22", "Setting desired count to 6."]);
  });

  it("does not scale out before the third high period", async () => {
    const input = example("simulate-target-tracking.json");
    const series = (input.MetricSeries as { Values: number[] }[])[0]!;
    // Two high minutes, then back to 45 %: the high alarm never sees 3 of 3.
    series.Values = [...Array<number>(20).fill(90), 300, 300, ...Array<number>(20).fill(90)];
    const out = await simulate({ ...input, EndTime: "2026-01-01T00:45:00Z" });
    expect(scaled(out)).toEqual([]);
    expect(out.AlarmTransitions.filter((t) => t.NewState === "ALARM")).toEqual([]);
  });
});

describe("simulator: step scaling example (docs/examples/simulate-step-scaling.json)", () => {
  it("scales by the step the breach falls in, honours the cooldown, and rounds percent changes toward zero but never to zero", async () => {
    const out = await simulate(example("simulate-step-scaling.json"));
    expect(scaled(out)).toEqual([
      ["00:07", "Setting desired count to 4."], // 75 − 60 = 15 ∈ [10, 20): +2
      ["00:09", "Setting desired count to 7."], // 95 − 60 = 35 ∈ [20, ∞): +3, once the cooldown is over
      ["00:11", "Setting desired count to 10."],
      ["00:15", "Setting desired count to 8."], // −25 % of 10 = −2.5 → −2
      ["00:17", "Setting desired count to 6."], // −2
      ["00:19", "Setting desired count to 5."], // −1.5 → −1
      ["00:21", "Setting desired count to 4."], // −1.25 → −1
      ["00:23", "Setting desired count to 3."], // −1
      ["00:25", "Setting desired count to 2."], // −0.75 → never 0: −1
    ]);
    const cooldowns = out.ScalingActivities.filter(
      (a) => a.NotScaledReasons?.[0]?.Code === "Cooldown",
    );
    expect(cooldowns.map((a) => a.StartTime.slice(11, 16))).toContain("00:08");
  });

  it("takes the lower bound as inclusive above the threshold", async () => {
    const input = example("simulate-step-scaling.json");
    const data = (input.PutMetricData as { MetricData: { Value: number }[] }[])[0]!.MetricData;
    for (const d of data) if (d.Value === 75) d.Value = 70; // breach exactly 10: the [10, 20) step
    const out = await simulate(input);
    expect(scaled(out)[0]).toEqual(["00:07", "Setting desired count to 4."]);
  });

  it("names the field of a bad input", async () => {
    const input = example("simulate-step-scaling.json");
    await expect(
      simulate({
        ...input,
        ScalableTarget: { ResourceId: "nope", MinCapacity: 1, MaxCapacity: 2 },
      }),
    ).rejects.toThrow(/ScalableTarget\.ResourceId/);
    await expect(simulate({ ...input, MetricAlarms: [] })).rejects.toBeInstanceOf(EcsError);
  });
});
