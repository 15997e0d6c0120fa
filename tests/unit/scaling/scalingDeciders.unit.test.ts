import { describe, expect, it } from "vitest";
import { decideDeleteScalingPolicy } from "../../../services/autoscaler/scaling/deleteScalingPolicy.js";
import { decideDeregisterScalableTarget } from "../../../services/autoscaler/scaling/deregisterScalableTarget.js";
import { decideExecuteScalingPolicy } from "../../../services/autoscaler/scaling/executeScalingPolicy.js";
import { validatePolicy } from "../../../services/autoscaler/scaling/policyValidation.js";
import { decidePutScalingPolicy } from "../../../services/autoscaler/scaling/putScalingPolicy.js";
import {
  decideCapacityCorrection,
  decideRegisterScalableTarget,
} from "../../../services/autoscaler/scaling/registerScalableTarget.js";
import { scalableTargetAggregate } from "../../../services/autoscaler/scaling/scalableTargetState.js";
import { fold } from "../../../shared/aggregate/decider.js";
import type { PayloadOf } from "../../../shared/bus/index.js";
import type {
  ExecuteScalingPolicy,
  RegisterScalableTarget,
} from "../../../shared/commands/autoscaler/index.js";
import type { DomainEvent } from "../../../shared/events/index.js";
import {
  catchEcsError,
  ctx,
  deciderSpec,
  expectValidEvents,
  NOW_EPOCH_SECONDS,
} from "../scheduler/givenWhenThen.js";

const RESOURCE = "service/demo/web";
const POLICY_ARN =
  "arn:aws:autoscaling:us-east-1:123456789012:scalingPolicy:00000000-0000-4000-8000-000000000001:resource/ecs/service/demo/web:policyName/cpu";
const NOT_SUSPENDED = {
  DynamicScalingInSuspended: false,
  DynamicScalingOutSuspended: false,
  ScheduledScalingSuspended: false,
};

const key = {
  ServiceNamespace: "ecs",
  ResourceId: RESOURCE,
  ScalableDimension: "ecs:service:DesiredCount",
};

const registered: DomainEvent = {
  type: "ScalableTargetRegistered",
  data: {
    clusterName: "demo",
    serviceName: "web",
    serviceNamespace: "ecs",
    resourceId: RESOURCE,
    scalableDimension: "ecs:service:DesiredCount",
    scalableTargetArn: "arn:aws:application-autoscaling:us-east-1:123456789012:scalable-target/t1",
    minCapacity: 1,
    maxCapacity: 10,
    suspendedState: NOT_SUSPENDED,
    at: NOW_EPOCH_SECONDS - 600,
  },
};

const policyPut: DomainEvent = {
  type: "ScalingPolicyPut",
  data: {
    clusterName: "demo",
    resourceId: RESOURCE,
    policyName: "cpu",
    policyArn: POLICY_ARN,
    policyType: "TargetTrackingScaling",
    targetTrackingScalingPolicyConfiguration: {
      TargetValue: 50,
      PredefinedMetricSpecification: { PredefinedMetricType: "ECSServiceAverageCPUUtilization" },
    },
    alarms: [
      { AlarmName: `TargetTracking-${RESOURCE}-AlarmHigh-u`, AlarmARN: "arn:high" },
      { AlarmName: `TargetTracking-${RESOURCE}-AlarmLow-u`, AlarmARN: "arn:low" },
    ],
    createdAt: NOW_EPOCH_SECONDS - 500,
    at: NOW_EPOCH_SECONDS - 500,
  },
};

const register = deciderSpec(
  scalableTargetAggregate,
  (cmd: PayloadOf<typeof RegisterScalableTarget>, state, c) =>
    decideRegisterScalableTarget(
      cmd,
      state,
      { serviceExists: cmd.ResourceId !== "service/demo/gone", newTargetId: "t1" },
      c,
    ),
);

describe("RegisterScalableTarget", () => {
  it("given nothing, registers the target with every SuspendedState switch filled in", () => {
    register
      .given([])
      .when({ ...key, MinCapacity: 1, MaxCapacity: 10 })
      .then([{ ...registered, data: { ...registered.data, at: NOW_EPOCH_SECONDS } }]);
  });

  it("a new target needs MinCapacity and MaxCapacity", () => {
    register
      .given([])
      .when({ ...key, MinCapacity: 1 })
      .thenThrows("ValidationException", /MinCapacity and MaxCapacity/);
  });

  it("refuses max below min", () => {
    register
      .given([])
      .when({ ...key, MinCapacity: 5, MaxCapacity: 2 })
      .thenThrows("ValidationException", /MaxCapacity/);
  });

  it("refuses a service that does not exist, as AWS words it", () => {
    register
      .given([])
      .when({ ...key, ResourceId: "service/demo/gone", MinCapacity: 1, MaxCapacity: 2 })
      .thenThrows("ValidationException", "ECS service doesn't exist: service/demo/gone");
  });

  it("refuses another namespace, dimension or resource id, naming the field", () => {
    register
      .given([])
      .when({ ...key, ServiceNamespace: "dynamodb", MinCapacity: 1, MaxCapacity: 2 })
      .thenThrows("ValidationException", /^ServiceNamespace/);
    register
      .given([])
      .when({ ...key, ScalableDimension: "ecs:service:Other", MinCapacity: 1, MaxCapacity: 2 })
      .thenThrows("ValidationException", /^ScalableDimension/);
    register
      .given([])
      .when({ ...key, ResourceId: "cluster/demo", MinCapacity: 1, MaxCapacity: 2 })
      .thenThrows("ValidationException", /^ResourceId/);
  });

  it("registering again changes only what is given", () => {
    register
      .given([registered])
      .when({ ...key, MaxCapacity: 4, SuspendedState: { DynamicScalingInSuspended: true } })
      .then([
        {
          type: "ScalableTargetUpdated",
          data: {
            clusterName: "demo",
            resourceId: RESOURCE,
            minCapacity: 1,
            maxCapacity: 4,
            suspendedState: { ...NOT_SUSPENDED, DynamicScalingInSuspended: true },
            at: NOW_EPOCH_SECONDS,
          },
        },
      ]);
  });

  it("registering again with nothing new records nothing", () => {
    register
      .given([registered])
      .when({ ...key, MinCapacity: 1, MaxCapacity: 10 })
      .thenNothing();
  });

  it("min / max moved past the desired count: capacity moves at once, without a cooldown", () => {
    const state = fold(scalableTargetAggregate, [registered]);
    const events = decideCapacityCorrection({ ...state, minCapacity: 3 }, 1, "a1", ctx);
    expectValidEvents(events);
    expect(events).toEqual([
      {
        type: "ScalingActivityStarted",
        data: {
          clusterName: "demo",
          resourceId: RESOURCE,
          activityId: "a1",
          direction: "set",
          fromCapacity: 1,
          toCapacity: 3,
          description: "Setting desired count to 3.",
          cause: "minimum capacity was set to 3",
          at: NOW_EPOCH_SECONDS,
        },
      },
    ]);
    expect(decideCapacityCorrection({ ...state, maxCapacity: 2 }, 5, "a2", ctx)[0]).toMatchObject({
      data: { toCapacity: 2, cause: "maximum capacity was set to 2" },
    });
    expect(decideCapacityCorrection(state, 5, "a3", ctx)).toEqual([]);
    const after = fold(scalableTargetAggregate, [registered, ...events]);
    expect(after.lastScaleOut).toBeUndefined();
  });
});

describe("PutScalingPolicy", () => {
  const put = deciderSpec(scalableTargetAggregate, decidePutScalingPolicy);
  const cmd = {
    resourceId: RESOURCE,
    policyName: "cpu",
    policyArn: POLICY_ARN,
    policyType: "TargetTrackingScaling" as const,
    targetTracking:
      policyPut.type === "ScalingPolicyPut"
        ? policyPut.data.targetTrackingScalingPolicyConfiguration
        : undefined,
    alarms: policyPut.type === "ScalingPolicyPut" ? policyPut.data.alarms : [],
  };

  it("records the whole configuration and the owned alarms", () => {
    put
      .given([registered])
      .when(cmd)
      .then([
        {
          ...policyPut,
          data: { ...policyPut.data, createdAt: NOW_EPOCH_SECONDS, at: NOW_EPOCH_SECONDS },
        },
      ]);
  });

  it("an update keeps the creation time", () => {
    const [event] = put.given([registered, policyPut]).when(cmd).events();
    expect(event).toMatchObject({
      data: { createdAt: NOW_EPOCH_SECONDS - 500, at: NOW_EPOCH_SECONDS },
    });
  });

  it("needs a registered target", () => {
    put
      .given([])
      .when(cmd)
      .thenThrows("ObjectNotFoundException", /No scalable target registered/);
  });

  it("validates the configuration with the field named", () => {
    const tt = {
      TargetValue: 50,
      PredefinedMetricSpecification: { PredefinedMetricType: "ALBRequestCountPerTarget" },
    };
    expect(
      catchEcsError(() =>
        validatePolicy({
          PolicyName: "p",
          PolicyType: "TargetTrackingScaling",
          TargetTrackingScalingPolicyConfiguration: tt,
        }),
      ).message,
    ).toMatch(/^PredefinedMetricSpecification.PredefinedMetricType/);
    expect(
      catchEcsError(() => validatePolicy({ PolicyName: "p", PolicyType: "TargetTrackingScaling" }))
        .type,
    ).toBe("ValidationException");
    expect(
      catchEcsError(() =>
        validatePolicy({
          PolicyName: "p",
          PolicyType: "StepScaling",
          StepScalingPolicyConfiguration: {
            AdjustmentType: "ChangeInCapacity",
            StepAdjustments: [
              { MetricIntervalLowerBound: 0, MetricIntervalUpperBound: 10, ScalingAdjustment: 1 },
              { MetricIntervalLowerBound: 20, ScalingAdjustment: 2 },
            ],
          },
        }),
      ).message,
    ).toMatch(/gap/);
    expect(
      catchEcsError(() => validatePolicy({ PolicyName: "p", PolicyType: "PredictiveScaling" }))
        .message,
    ).toMatch(/^PolicyType/);
    expect(
      validatePolicy({
        PolicyName: "p",
        StepScalingPolicyConfiguration: {
          AdjustmentType: "ExactCapacity",
          StepAdjustments: [{ MetricIntervalLowerBound: 0, ScalingAdjustment: 3 }],
        },
      }),
    ).toBe("StepScaling");
  });
});

describe("DeleteScalingPolicy and DeregisterScalableTarget", () => {
  it("delete: the policy goes; an unknown one is ObjectNotFoundException", () => {
    const spec = deciderSpec(scalableTargetAggregate, (name: string, s, c) =>
      decideDeleteScalingPolicy(RESOURCE, name, s, c),
    );
    spec
      .given([registered, policyPut])
      .when("cpu")
      .then([
        {
          type: "ScalingPolicyDeleted",
          data: {
            clusterName: "demo",
            resourceId: RESOURCE,
            policyName: "cpu",
            policyArn: POLICY_ARN,
            at: NOW_EPOCH_SECONDS,
          },
        },
      ]);
    spec
      .given([registered])
      .when("cpu")
      .thenThrows("ObjectNotFoundException", /No scaling policy found/);
  });

  it("deregister: each policy is deleted, then the target; the state is empty again", () => {
    const spec = deciderSpec(scalableTargetAggregate, (_: null, s, c) =>
      decideDeregisterScalableTarget(RESOURCE, s, c),
    );
    const when = spec.given([registered, policyPut]).when(null);
    expect(when.events().map((e) => e.type)).toEqual([
      "ScalingPolicyDeleted",
      "ScalableTargetDeregistered",
    ]);
    expect(when.thenState()).toEqual(scalableTargetAggregate.initialState);
    spec.given([]).when(null).thenThrows("ObjectNotFoundException");
  });
});

describe("ExecuteScalingPolicy: every decision is an event", () => {
  const invoke = (overrides: Partial<PayloadOf<typeof ExecuteScalingPolicy>> = {}) => ({
    policyArn: POLICY_ARN,
    alarmName: `TargetTracking-${RESOURCE}-AlarmHigh-u`,
    alarmArn: "arn:high",
    state: "ALARM" as const,
    threshold: 50,
    comparisonOperator: "GreaterThanThreshold" as const,
    period: 60,
    metricValue: 75,
    evaluatedAt: ctx.now.toISOString(),
    ...overrides,
  });
  const facts = {
    desiredCount: 2,
    runningTasks: 2,
    deploymentInProgress: false,
    alarmStates: new Map<string, string>(),
  };
  const state = fold(scalableTargetAggregate, [registered, policyPut]);

  it("a scale-out begins an activity and starts the scale-out cooldown", () => {
    const { events, outcome } = decideExecuteScalingPolicy(
      invoke(),
      "cpu",
      state,
      facts,
      "a1",
      ctx,
    );
    expectValidEvents(events);
    expect(outcome).toEqual({ outcome: "scaled", activityId: "a1", toCapacity: 3 });
    expect(events[0]).toMatchObject({
      type: "ScalingActivityStarted",
      data: {
        direction: "out",
        fromCapacity: 2,
        toCapacity: 3,
        description: "Setting desired count to 3.",
      },
    });
    const after = fold(scalableTargetAggregate, [registered, policyPut, ...events]);
    expect(after.lastScaleOut).toMatchObject({
      fromCapacity: 2,
      toCapacity: 3,
      at: NOW_EPOCH_SECONDS,
    });
  });

  it("a failed activity starts no cooldown", () => {
    const { events } = decideExecuteScalingPolicy(invoke(), "cpu", state, facts, "a1", ctx);
    const failed: DomainEvent = {
      type: "ScalingActivityCompleted",
      data: {
        clusterName: "demo",
        resourceId: RESOURCE,
        activityId: "a1",
        statusCode: "Failed",
        statusMessage: "x",
        at: NOW_EPOCH_SECONDS,
      },
    };
    expect(
      fold(scalableTargetAggregate, [registered, policyPut, ...events, failed]).lastScaleOut,
    ).toBeUndefined();
  });

  it("a refusal is a not-scaled activity with its reason", () => {
    const { events, outcome } = decideExecuteScalingPolicy(
      invoke(),
      "cpu",
      state,
      { ...facts, desiredCount: 10, runningTasks: 10 },
      "a2",
      ctx,
    );
    expectValidEvents(events);
    expect(outcome).toEqual({ outcome: "AlreadyAtMaxCapacity", activityId: "a2" });
    expect(events[0]).toMatchObject({
      type: "ScalingNotPerformed",
      data: {
        notScaledReasons: [{ Code: "AlreadyAtMaxCapacity", CurrentCapacity: 10, MaxCapacity: 10 }],
      },
    });
  });

  it("a service gone: TargetServicePutResourceAsUnscalable", () => {
    const { events } = decideExecuteScalingPolicy(
      invoke(),
      "cpu",
      state,
      { runningTasks: 0, deploymentInProgress: false, alarmStates: new Map() },
      "a3",
      ctx,
    );
    expect(events[0]).toMatchObject({
      data: { notScaledReasons: [{ Code: "TargetServicePutResourceAsUnscalable" }] },
    });
  });

  it("an alarm back to OK is recorded as a signal, not an activity", () => {
    const { events } = decideExecuteScalingPolicy(
      invoke({ state: "OK" }),
      "cpu",
      state,
      facts,
      "a4",
      ctx,
    );
    expect(events.map((e) => e.type)).toEqual(["ScalingAlarmSignalled"]);
    const after = fold(scalableTargetAggregate, [registered, policyPut, ...events]);
    expect(after.policies.cpu?.signals[`TargetTracking-${RESOURCE}-AlarmHigh-u`]?.state).toBe("OK");
  });

  it("a peer's scale-in vote is its low alarm's state now, not the last signal it recorded", () => {
    // Policy "mem" saw its low alarm in ALARM once; target tracking alarms have no OK
    // actions, so nothing told it the alarm went back to OK.
    const memLow = `TargetTracking-${RESOURCE}-AlarmLow-m`;
    const memPut: DomainEvent = {
      type: "ScalingPolicyPut",
      data: {
        ...policyPut.data,
        policyName: "mem",
        policyArn: POLICY_ARN.replace("policyName/cpu", "policyName/mem"),
        targetTrackingScalingPolicyConfiguration: {
          TargetValue: 50,
          PredefinedMetricSpecification: {
            PredefinedMetricType: "ECSServiceAverageMemoryUtilization",
          },
        },
        alarms: [{ AlarmName: memLow, AlarmARN: "arn:mem-low" }],
      },
    };
    const memSignalled: DomainEvent = {
      type: "ScalingAlarmSignalled",
      data: {
        clusterName: "demo",
        resourceId: RESOURCE,
        policyName: "mem",
        signal: { alarmName: memLow, state: "ALARM", metricValue: 10, threshold: 45 },
        at: NOW_EPOCH_SECONDS - 120,
      },
    };
    const both = fold(scalableTargetAggregate, [registered, policyPut, memPut, memSignalled]);
    const scaleIn = invoke({
      alarmName: `TargetTracking-${RESOURCE}-AlarmLow-u`,
      comparisonOperator: "LessThanThreshold",
      threshold: 45,
      metricValue: 10,
    });
    const withMem = (state: string) => ({
      ...facts,
      desiredCount: 4,
      runningTasks: 4,
      alarmStates: new Map([[memLow, state]]),
    });
    const stale = decideExecuteScalingPolicy(scaleIn, "cpu", both, withMem("OK"), "a5", ctx);
    expect(stale.outcome.outcome).toBe("OtherPoliciesDisagree");
    const agreed = decideExecuteScalingPolicy(scaleIn, "cpu", both, withMem("ALARM"), "a6", ctx);
    expect(agreed.outcome).toMatchObject({ outcome: "scaled", toCapacity: 1 });
  });

  it("an ARN of a deleted (or other) policy decides nothing", () => {
    const other = POLICY_ARN.replace(
      "00000000-0000-4000-8000-000000000001",
      "00000000-0000-4000-8000-000000000002",
    );
    expect(
      decideExecuteScalingPolicy(invoke({ policyArn: other }), "cpu", state, facts, "a5", ctx),
    ).toEqual({
      events: [],
      outcome: { outcome: "policyNotFound" },
    });
  });
});
