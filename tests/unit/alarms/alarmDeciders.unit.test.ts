import { describe, expect, it } from "vitest";
import type { DomainEvent } from "../../../shared/events/index.js";
import { decideSwitchAlarmActions } from "../../../services/autoscaler/alarms/alarmActionsSwitch.js";
import { alarmAggregate } from "../../../services/autoscaler/alarms/alarmState.js";
import { decideDeleteAlarm } from "../../../services/autoscaler/alarms/deleteAlarm.js";
import {
  decidePutMetricAlarm,
  type PutMetricAlarmCommand,
} from "../../../services/autoscaler/alarms/putMetricAlarm.js";
import { decideRecordEvaluation } from "../../../services/autoscaler/alarms/recordEvaluation.js";
import { decideSetAlarmState } from "../../../services/autoscaler/alarms/setAlarmState.js";
import { deciderSpec, NOW_EPOCH_SECONDS } from "../scheduler/givenWhenThen.js";
import { alarmConfig, SCALE_IN_POLICY, SCALE_OUT_POLICY } from "./alarmFixtures.js";

const ARN = "arn:aws:cloudwatch:us-east-1:123456789012:alarm:cpu-high";

const put = (over: Partial<PutMetricAlarmCommand> = {}): PutMetricAlarmCommand => ({
  AlarmName: "cpu-high",
  MetricName: "CPUUtilization",
  Namespace: "AWS/ECS",
  Statistic: "Average",
  Dimensions: [
    { Name: "ClusterName", Value: "demo" },
    { Name: "ServiceName", Value: "web" },
  ],
  Period: 60,
  EvaluationPeriods: 3,
  Threshold: 50,
  ComparisonOperator: "GreaterThanThreshold",
  ...over,
});

const created = (over: Parameters<typeof alarmConfig>[0] = {}): DomainEvent => ({
  type: "AlarmPut",
  data: {
    alarmArn: ARN,
    alarmName: "cpu-high",
    created: true,
    configuration: alarmConfig(over),
    at: NOW_EPOCH_SECONDS,
  },
});

const stateChanged = (from: string, to: string, periodEnd?: number): DomainEvent =>
  ({
    type: "AlarmStateChanged",
    data: {
      alarmArn: ARN,
      alarmName: "cpu-high",
      oldState: from,
      newState: to,
      stateReason: "test",
      source: periodEnd === undefined ? "SetAlarmState" : "evaluation",
      ...(periodEnd === undefined ? {} : { periodEnd }),
      at: NOW_EPOCH_SECONDS,
    },
  }) as DomainEvent;

describe("PutMetricAlarm", () => {
  const spec = deciderSpec(alarmAggregate, decidePutMetricAlarm);

  it("creates the alarm with CloudWatch's defaults, in INSUFFICIENT_DATA", () => {
    const when = spec.given([]).when(put());
    when.then([created()]);
    expect(when.thenState()).toMatchObject({
      status: "ACTIVE",
      stateValue: "INSUFFICIENT_DATA",
      stateReason: "Unchecked: Initial alarm creation",
    });
  });

  it("the same configuration again changes nothing; a new one replaces it and keeps the state", () => {
    spec.given([created()]).when(put()).thenNothing();
    const when = spec
      .given([created(), stateChanged("INSUFFICIENT_DATA", "ALARM", 100)])
      .when(put({ Threshold: 70 }));
    const [event] = when.events();
    expect(event).toMatchObject({ type: "AlarmPut", data: { created: false } });
    expect(when.thenState()).toMatchObject({ stateValue: "ALARM" });
  });

  it("ManagedBy is recorded", () => {
    const [event] = spec
      .given([])
      .when(put({ ManagedBy: SCALE_OUT_POLICY }))
      .events();
    expect(event).toMatchObject({ data: { managedBy: SCALE_OUT_POLICY } });
  });

  it.each([
    [{ Statistic: undefined }, "MissingParameter", /Statistic or ExtendedStatistic/],
    [
      { ExtendedStatistic: "p90" },
      "InvalidParameterCombination",
      /Statistic and ExtendedStatistic/,
    ],
    [
      { Statistic: undefined, ExtendedStatistic: "p101" },
      "InvalidParameterValue",
      /ExtendedStatistic/,
    ],
    [
      { EvaluateLowSampleCountPercentile: "ignore" as const },
      "InvalidParameterCombination",
      /EvaluateLowSampleCountPercentile/,
    ],
    [
      { DatapointsToAlarm: 4 },
      "InvalidParameterValue",
      /DatapointsToAlarm \(4\).*EvaluationPeriods \(3\)/,
    ],
    [{ Period: 45 }, "InvalidParameterValue", /Period must be 10, 30 or a multiple of 60/],
    [
      { Period: 60, EvaluationPeriods: 1441 },
      "InvalidParameterValue",
      /EvaluationPeriods \* Period must be <= 86400/,
    ],
    [{ Period: 3600, EvaluationPeriods: 169 }, "InvalidParameterValue", /<= 604800/],
    [
      { ComparisonOperator: "LessThanLowerThreshold" as const },
      "InvalidParameterValue",
      /ComparisonOperator/,
    ],
    [{ AlarmActions: ["not-an-arn"] }, "InvalidParameterValue", /AlarmActions/],
    [
      {
        Dimensions: [
          { Name: "A", Value: "1" },
          { Name: "A", Value: "2" },
        ],
      },
      "InvalidParameterValue",
      /Dimensions/,
    ],
  ] as const)("refuses %o with %s", (over, type, message) => {
    spec
      .given([])
      .when(put(over as Partial<PutMetricAlarmCommand>))
      .thenThrows(type, message);
  });

  it("accepts high-resolution periods and 7 days of hourly periods", () => {
    expect(
      spec
        .given([])
        .when(put({ Period: 10, EvaluationPeriods: 3 }))
        .events(),
    ).toHaveLength(1);
    expect(
      spec
        .given([])
        .when(put({ Period: 3600, EvaluationPeriods: 168 }))
        .events(),
    ).toHaveLength(1);
  });
});

describe("DeleteAlarms, SetAlarmState, Enable/DisableAlarmActions", () => {
  it("deletes an alarm; an unknown alarm is no error", () => {
    const spec = deciderSpec(alarmAggregate, decideDeleteAlarm);
    spec
      .given([created()])
      .when({ alarmName: "cpu-high" })
      .then([
        {
          type: "AlarmDeleted",
          data: { alarmArn: ARN, alarmName: "cpu-high", at: NOW_EPOCH_SECONDS },
        },
      ]);
    spec.given([]).when({ alarmName: "cpu-high" }).thenNothing();
  });

  it("SetAlarmState changes the state; unknown alarm → ResourceNotFound; bad JSON → InvalidFormat", () => {
    const spec = deciderSpec(alarmAggregate, decideSetAlarmState);
    const cmd = { AlarmName: "cpu-high", StateValue: "ALARM" as const, StateReason: "testing" };
    spec
      .given([created()])
      .when(cmd)
      .then([
        {
          type: "AlarmStateChanged",
          data: {
            alarmArn: ARN,
            alarmName: "cpu-high",
            oldState: "INSUFFICIENT_DATA",
            newState: "ALARM",
            stateReason: "testing",
            source: "SetAlarmState",
            at: NOW_EPOCH_SECONDS,
          },
        },
      ]);
    spec
      .given([created(), stateChanged("INSUFFICIENT_DATA", "ALARM")])
      .when(cmd)
      .thenNothing();
    spec
      .given([])
      .when(cmd)
      .thenThrows("ResourceNotFound", /cpu-high/);
    spec
      .given([created()])
      .when({ ...cmd, StateReasonData: "{" })
      .thenThrows("InvalidFormat");
  });

  it("actions switch on and off once", () => {
    const spec = deciderSpec(alarmAggregate, decideSwitchAlarmActions);
    const [off] = spec.given([created()]).when({ enabled: false }).events();
    expect(off?.type).toBe("AlarmActionsDisabled");
    spec.given([created()]).when({ enabled: true }).thenNothing();
    spec.given([created(), off!]).when({ enabled: false }).thenNothing();
    expect(spec.given([created(), off!]).when({ enabled: true }).events()[0]?.type).toBe(
      "AlarmActionsEnabled",
    );
    spec.given([]).when({ enabled: true }).thenNothing();
  });
});

describe("recording an evaluation", () => {
  const spec = deciderSpec(alarmAggregate, decideRecordEvaluation);
  const withActions = created({ AlarmActions: [SCALE_OUT_POLICY], OKActions: [SCALE_IN_POLICY] });
  const toAlarm = { periodEnd: 1000, newState: "ALARM" as const, stateReason: "crossed" };

  it("a transition changes state and claims the new state's actions", () => {
    const events = spec.given([withActions]).when(toAlarm).events();
    expect(events.map((e) => e.type)).toEqual(["AlarmStateChanged", "AlarmActionsDue"]);
    expect(events[1]).toMatchObject({
      data: { state: "ALARM", actions: [SCALE_OUT_POLICY], periodEnd: 1000 },
    });
  });

  it("ALARM actions repeat every period while the alarm stays in ALARM; OK actions do not", () => {
    const inAlarm = [withActions, stateChanged("INSUFFICIENT_DATA", "ALARM", 1000)];
    expect(
      spec
        .given(inAlarm)
        .when({ periodEnd: 1060 })
        .events()
        .map((e) => e.type),
    ).toEqual(["AlarmActionsDue"]);
    const inOk = [...inAlarm, stateChanged("ALARM", "OK", 1060)];
    spec.given(inOk).when({ periodEnd: 1120 }).thenNothing();
  });

  it("a period already handled (by another replica) yields nothing", () => {
    spec
      .given([withActions, stateChanged("INSUFFICIENT_DATA", "ALARM", 1000)])
      .when(toAlarm)
      .thenNothing();
  });

  it("disabled actions are not claimed; an alarm without actions only changes state", () => {
    const disabled: DomainEvent = {
      type: "AlarmActionsDisabled",
      data: { alarmArn: ARN, alarmName: "cpu-high", at: NOW_EPOCH_SECONDS },
    };
    expect(
      spec
        .given([withActions, disabled])
        .when(toAlarm)
        .events()
        .map((e) => e.type),
    ).toEqual(["AlarmStateChanged"]);
    expect(
      spec
        .given([created()])
        .when(toAlarm)
        .events()
        .map((e) => e.type),
    ).toEqual(["AlarmStateChanged"]);
  });

  it("a deleted alarm records nothing", () => {
    spec
      .given([
        withActions,
        { type: "AlarmDeleted", data: { alarmArn: ARN, alarmName: "cpu-high", at: 1 } },
      ])
      .when(toAlarm)
      .thenNothing();
  });
});
