import { describe, expect, it } from "vitest";
import type { ComparisonOperator } from "../../../shared/domain/alarms/alarmDefinition.js";
import { InMemoryMetricStore } from "../../../shared/metrics/index.js";
import type { SeriesPoint } from "../../../shared/metrics/metricSource.js";
import {
  evaluateAlarm,
  evaluateAlarmAt,
  evaluationWindow,
  isBreaching,
  javaDouble,
  minimumSignificantSamples,
} from "../../../services/autoscaler/alarms/evaluation/index.js";
import { alarmConfig } from "./alarmFixtures.js";

const T = (hhmmss: string) => new Date(`2026-11-26T${hhmmss}Z`);
const point = (hhmmss: string, value: number, sampleCount = 5): SeriesPoint => ({
  timestamp: T(hhmmss),
  value,
  sampleCount,
});

describe("the evaluation range", () => {
  it("covers EvaluationPeriods + 2 aligned periods that ended by the evaluation time", () => {
    const w = evaluationWindow(alarmConfig(), T("20:06:02.5"));
    expect(w.end).toEqual(T("20:06:00"));
    expect(w.start).toEqual(T("20:01:00"));
    expect(w.periods.map((p) => p.toISOString().slice(11, 19))).toEqual([
      "20:05:00",
      "20:04:00",
      "20:03:00",
      "20:02:00",
      "20:01:00",
    ]);
  });

  it("a late newest period is bridged by older datapoints in the range", () => {
    const c = alarmConfig();
    const w = evaluationWindow(c, T("20:06:00"));
    const points = [point("20:02:00", 70), point("20:03:00", 80), point("20:04:00", 90)];
    const e = evaluateAlarm(c, "OK", w, points, T("20:06:01"));
    expect(e.state).toBe("ALARM");
    expect(e.metricValue).toBe(90);
  });

  it("datapoints outside the range are not evaluated", () => {
    const c = alarmConfig();
    const w = evaluationWindow(c, T("20:06:00"));
    const e = evaluateAlarm(
      c,
      "OK",
      w,
      [point("20:00:00", 99), point("20:06:00", 99)],
      T("20:06:01"),
    );
    expect(e.state).toBe("INSUFFICIENT_DATA");
    expect(e.datapoints).toEqual([]);
  });
});

describe("each comparison operator", () => {
  const cases: [ComparisonOperator, number, boolean][] = [
    ["GreaterThanThreshold", 50, false],
    ["GreaterThanThreshold", 50.1, true],
    ["GreaterThanOrEqualToThreshold", 50, true],
    ["GreaterThanOrEqualToThreshold", 49.9, false],
    ["LessThanThreshold", 50, false],
    ["LessThanThreshold", 49.9, true],
    ["LessThanOrEqualToThreshold", 50, true],
    ["LessThanOrEqualToThreshold", 50.1, false],
  ];
  it.each(cases)("%s: %d against 50 breaches: %s", (op, value, breaches) => {
    expect(isBreaching(value, op, 50)).toBe(breaches);
  });
});

describe("StateReason and StateReasonData in CloudWatch's wording", () => {
  it("OK -> ALARM after 3 of 3 breaching datapoints", () => {
    const c = alarmConfig();
    const w = evaluationWindow(c, T("20:06:00"));
    const e = evaluateAlarm(
      c,
      "OK",
      w,
      [point("20:03:00", 90), point("20:04:00", 75), point("20:05:00", 80.1)],
      T("20:06:02.123"),
    );
    expect(e.changed).toBe(true);
    expect(e.stateReason).toBe(
      "Threshold Crossed: 3 out of the last 3 datapoints [80.1 (26/11/26 20:05:00), 75.0 (26/11/26 20:04:00), 90.0 (26/11/26 20:03:00)] were greater than the threshold (50.0) (minimum 3 datapoints for OK -> ALARM transition).",
    );
    expect(e.stateReasonData).toBe(
      '{"version":"1.0","queryDate":"2026-11-26T20:06:02.123+0000","startDate":"2026-11-26T20:03:00.000+0000","statistic":"Average","period":60,"recentDatapoints":[90.0,75.0,80.1],"threshold":50.0,"evaluatedDatapoints":[{"timestamp":"2026-11-26T20:05:00.000+0000","sampleCount":5.0,"value":80.1},{"timestamp":"2026-11-26T20:04:00.000+0000","sampleCount":5.0,"value":75.0},{"timestamp":"2026-11-26T20:03:00.000+0000","sampleCount":5.0,"value":90.0}]}',
    );
    expect(() => JSON.parse(e.stateReasonData!) as unknown).not.toThrow();
  });

  it("ALARM -> OK lists the datapoints that no longer breach", () => {
    const c = alarmConfig();
    const w = evaluationWindow(c, T("20:06:00"));
    const e = evaluateAlarm(
      c,
      "ALARM",
      w,
      [point("20:03:00", 90), point("20:04:00", 75), point("20:05:00", 10)],
      T("20:06:02"),
    );
    expect(e.stateReason).toBe(
      "Threshold Crossed: 1 out of the last 3 datapoints [10.0 (26/11/26 20:05:00)] was not greater than the threshold (50.0) (minimum 1 datapoint for ALARM -> OK transition).",
    );
  });

  it("an alarm of one period names its one datapoint", () => {
    const c = alarmConfig({ EvaluationPeriods: 1, DatapointsToAlarm: 1, Threshold: 1e7 });
    const e = evaluateAlarm(
      c,
      "INSUFFICIENT_DATA",
      evaluationWindow(c, T("20:06:00")),
      [point("20:05:00", 2.5e7)],
      T("20:06:02"),
    );
    expect(e.stateReason).toBe(
      "Threshold Crossed: 1 datapoint [2.5E7 (26/11/26 20:05:00)] was greater than the threshold (1.0E7).",
    );
  });

  it("all missing: INSUFFICIENT_DATA, or the treatment named", () => {
    const w = evaluationWindow(alarmConfig(), T("20:06:00"));
    expect(evaluateAlarm(alarmConfig(), "OK", w, [], T("20:06:02")).stateReason).toBe(
      "Insufficient Data: 3 datapoints were unknown.",
    );
    expect(
      evaluateAlarm(alarmConfig({ TreatMissingData: "breaching" }), "OK", w, [], T("20:06:02"))
        .stateReason,
    ).toBe(
      "Threshold Crossed: no datapoints were received for 3 periods and 3 missing datapoints were treated as [Breaching].",
    );
    expect(
      evaluateAlarm(
        alarmConfig({ TreatMissingData: "notBreaching" }),
        "ALARM",
        w,
        [],
        T("20:06:02"),
      ).stateReason,
    ).toBe(
      "Threshold Crossed: no datapoints were received for 3 periods and 3 missing datapoints were treated as [NonBreaching].",
    );
  });

  it("no change, no reason", () => {
    const c = alarmConfig();
    const e = evaluateAlarm(
      c,
      "ALARM",
      evaluationWindow(c, T("20:06:00")),
      [point("20:03:00", 90), point("20:04:00", 75), point("20:05:00", 80)],
      T("20:06:02"),
    );
    expect(e).toMatchObject({ state: "ALARM", changed: false, metricValue: 80 });
    expect(e.stateReason).toBeUndefined();
  });

  it("numbers print as Java doubles", () => {
    expect([50, 80.1, 0.001, 0.0005, 1e7, 123456.5, -3, 0].map(javaDouble)).toEqual([
      "50.0",
      "80.1",
      "0.001",
      "5.0E-4",
      "1.0E7",
      "123456.5",
      "-3.0",
      "0.0",
    ]);
  });
});

describe("percentiles with low sample counts", () => {
  it("significance needs 10 / (1 − p) samples above the median, 10 / p below", () => {
    expect(minimumSignificantSamples("p99")).toBeCloseTo(1000);
    expect(minimumSignificantSamples("p90")).toBeCloseTo(100);
    expect(minimumSignificantSamples("p50")).toBeCloseTo(20);
    expect(minimumSignificantSamples("p10")).toBeCloseTo(100);
  });

  const points = [point("20:03:00", 90, 20), point("20:04:00", 95, 20), point("20:05:00", 99, 20)];
  const base = { Statistic: undefined, ExtendedStatistic: "p90" } as const;

  it("ignore: too few samples keep the state", () => {
    const c = alarmConfig({ ...base, EvaluateLowSampleCountPercentile: "ignore" });
    const e = evaluateAlarm(c, "OK", evaluationWindow(c, T("20:06:00")), points, T("20:06:02"));
    expect(e).toMatchObject({ state: "OK", changed: false });
  });

  it("evaluate (the default): they count like any datapoint", () => {
    const c = alarmConfig({ ...base, EvaluateLowSampleCountPercentile: "evaluate" });
    const e = evaluateAlarm(c, "OK", evaluationWindow(c, T("20:06:00")), points, T("20:06:02"));
    expect(e.state).toBe("ALARM");
    expect(e.stateReasonData).toContain('"extendedStatistic":"p90"');
  });

  it("ignore with enough samples evaluates", () => {
    const many = points.map((p) => ({ ...p, sampleCount: 100 }));
    const c = alarmConfig({ ...base, EvaluateLowSampleCountPercentile: "ignore" });
    expect(
      evaluateAlarm(c, "OK", evaluationWindow(c, T("20:06:00")), many, T("20:06:02")).state,
    ).toBe("ALARM");
  });
});

describe("evaluateAlarmAt against a metric source", () => {
  it("reads the alarm's metric, statistic and range, and evaluates", async () => {
    const store = new InMemoryMetricStore();
    const dimensions = [
      { name: "ClusterName", value: "demo" },
      { name: "ServiceName", value: "web" },
    ];
    for (const [minute, values] of [
      ["03", [60, 80]],
      ["04", [70, 90]],
      ["05", [55, 65]],
    ] as const) {
      store.put("AWS/ECS", [
        {
          metricName: "CPUUtilization",
          dimensions,
          timestamp: T(`20:${minute}:10`),
          values: [...values],
        },
      ]);
    }
    store.put("AWS/ECS", [
      { metricName: "CPUUtilization", dimensions: [], timestamp: T("20:05:10"), value: 1 },
    ]);
    const e = await evaluateAlarmAt(
      { configuration: alarmConfig(), stateValue: "INSUFFICIENT_DATA" },
      T("20:06:02"),
      store,
    );
    expect(e.state).toBe("ALARM");
    expect(e.datapoints.map((p) => p.value)).toEqual([60, 80, 70]);
    expect(e.stateReason).toContain(
      "minimum 3 datapoints for INSUFFICIENT_DATA -> ALARM transition",
    );
    const low = await evaluateAlarmAt(
      { configuration: alarmConfig({ Statistic: "Minimum" }), stateValue: "ALARM" },
      T("20:06:02"),
      store,
    );
    expect(low.state).toBe("ALARM");
    const max = await evaluateAlarmAt(
      { configuration: alarmConfig({ Statistic: "Minimum", Threshold: 58 }), stateValue: "ALARM" },
      T("20:06:02"),
      store,
    );
    expect(max.state).toBe("OK");
  });
});
