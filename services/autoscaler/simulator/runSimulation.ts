import type { ArnContext } from "../../../shared/domain/arn.js";
import type { AlarmState } from "../../../shared/domain/alarms/alarmDefinition.js";
import { alarmArn } from "../../../shared/domain/alarms/alarmArn.js";
import {
  parseEcsResourceId,
  parseScalingPolicyArn,
  scalingPolicyArn,
} from "../../../shared/domain/scaling/scalableTargetRef.js";
import { EcsError } from "../../../shared/domain/errors.js";
import type { AlarmConfiguration } from "../../../shared/events/index.js";
import type { MetricDatumInput } from "../../../shared/metrics/metricDatum.js";
import type { MetricSource } from "../../../shared/metrics/metricSource.js";
import {
  actionsForState,
  DEFAULT_SCALING_SETTINGS,
  decideScaling,
  evaluateAlarmAt,
  targetTrackingAlarms,
  validateAlarm,
  validatePolicy,
  type CooldownHistory,
  type PeerPolicy,
  type ScalingSettings,
} from "./engines.js";
import { metricFeed } from "./metricFeed.js";
import { advanceService, setDesired, simulatedService } from "./simulatedService.js";
import type {
  SimAlarmTransition,
  SimCapacityChange,
  SimPolicySummary,
  SimScalingActivity,
  SimulationOutput,
} from "./simulationOutput.js";
import type { SimulationInput } from "./simulationInput.js";

export interface SimulationDeps {
  /** Where alarms read their metrics: the in-memory store, or Postgres for a replay. */
  readonly source: MetricSource;
  /** Writes the input's datapoints as the virtual clock passes them (absent for a replay). */
  readonly write?: (namespace: string, datums: MetricDatumInput[], at: Date) => Promise<void>;
  readonly arn?: ArnContext;
  /** The shape of target tracking alarms (default AWS's: 60 s, 3 of 3 high, 15 of 15 low). */
  readonly settings?: ScalingSettings;
  /** Stops a runaway input: at most this many ticks (default 1,000,000). */
  readonly maxTicks?: number;
}

interface SimPolicy {
  readonly name: string;
  readonly arn: string;
  readonly type: "TargetTrackingScaling" | "StepScaling";
  readonly input: SimulationInput["ScalingPolicies"][number];
  /** Target tracking: the low alarm's name (for the other policies' scale-in vote). */
  lowAlarm?: string;
}

interface SimAlarm {
  readonly configuration: AlarmConfiguration;
  state: AlarmState;
  metricValue: number | null;
  lastEvaluatedPeriodEnd: number;
}

const ARN_DEFAULT: ArnContext = { region: "us-east-1", accountId: "000000000000" };
const iso = (ms: number) => new Date(ms).toISOString();
/** Deterministic ids, so two runs of one input print the same output. */
const simId = (kind: number, n: number) =>
  `00000000-0000-4000-8${kind.toString(16).padStart(3, "0")}-${n.toString(16).padStart(12, "0")}`;

/**
 * Runs a scalable target, its policies and alarms against a metric series on a
 * virtual clock: every tick evaluates each alarm with the live evaluator's step
 * and hands the actions due to the live scaling engine; the simulated service's
 * running count follows its desired count after the start delay.
 */
export const runSimulation = async (
  input: SimulationInput,
  deps: SimulationDeps,
): Promise<SimulationOutput> => {
  const arnCtx = deps.arn ?? ARN_DEFAULT;
  const shape = input.TargetTrackingAlarms;
  const settings: ScalingSettings = {
    ...(deps.settings ?? DEFAULT_SCALING_SETTINGS),
    ...(shape?.PeriodSeconds === undefined
      ? {}
      : { targetTrackingPeriodSeconds: shape.PeriodSeconds }),
    ...(shape?.ScaleOutPeriods === undefined ? {} : { scaleOutPeriods: shape.ScaleOutPeriods }),
    ...(shape?.ScaleInPeriods === undefined ? {} : { scaleInPeriods: shape.ScaleInPeriods }),
  };
  const target = input.ScalableTarget;
  const resource = parseEcsResourceId(target.ResourceId);
  if (!resource)
    throw new EcsError("ValidationException", "ScalableTarget.ResourceId: not an ECS service.");
  if (target.MinCapacity > target.MaxCapacity) {
    throw new EcsError(
      "ValidationException",
      `ScalableTarget: MinCapacity ${target.MinCapacity} is greater than MaxCapacity ${target.MaxCapacity}.`,
    );
  }

  // ---- policies and their alarms, as PutScalingPolicy and PutMetricAlarm would make them ----
  const policies: SimPolicy[] = input.ScalingPolicies.map((p, i) => {
    if (p.ResourceId !== undefined && p.ResourceId !== target.ResourceId) {
      throw new EcsError(
        "ValidationException",
        `ScalingPolicies[${i}].ResourceId: '${p.ResourceId}' is not the scalable target's.`,
      );
    }
    const type = validatePolicy(p);
    return {
      name: p.PolicyName,
      arn: scalingPolicyArn(arnCtx, simId(1, i + 1), target.ResourceId, p.PolicyName),
      type,
      input: p,
    };
  });
  const alarms: SimAlarm[] = [];
  const owned = new Map<string, string[]>();
  const addAlarm = (configuration: AlarmConfiguration, policyArn?: string) => {
    if (alarms.some((a) => a.configuration.AlarmName === configuration.AlarmName)) {
      throw new EcsError(
        "ValidationException",
        `MetricAlarms: two alarms are named '${configuration.AlarmName}'.`,
      );
    }
    alarms.push({
      configuration,
      state: "INSUFFICIENT_DATA",
      metricValue: null,
      lastEvaluatedPeriodEnd: -Infinity,
    });
    if (policyArn) owned.set(policyArn, [...(owned.get(policyArn) ?? []), configuration.AlarmName]);
  };
  policies.forEach((p, i) => {
    const config = p.input.TargetTrackingScalingPolicyConfiguration;
    if (p.type !== "TargetTrackingScaling" || !config) return;
    const made = targetTrackingAlarms({
      policyArn: p.arn,
      alarmUuid: simId(2, i + 1),
      resourceId: target.ResourceId,
      clusterName: resource.clusterName,
      serviceName: resource.serviceName,
      config,
      settings,
    });
    for (const alarm of [made.high, made.low]) {
      if (!alarm) continue;
      const { ManagedBy: _managedBy, ...definition } = alarm;
      addAlarm(validateAlarm(definition), p.arn);
    }
    if (made.low) p.lowAlarm = made.low.AlarmName;
  });
  const policyByAction = (action: string): SimPolicy | undefined =>
    policies.find((p) => p.arn === action) ??
    policies.find((p) => p.name === parseScalingPolicyArn(action)?.policyName) ??
    policies.find((p) => p.name === action);
  for (const definition of input.MetricAlarms) {
    // AlarmActions may name a policy by PolicyName (the ARN is only known once it exists).
    const resolve = (actions?: string[]) => actions?.map((a) => policyByAction(a)?.arn ?? a);
    const configuration = validateAlarm({
      ...definition,
      ...(definition.AlarmActions ? { AlarmActions: resolve(definition.AlarmActions) } : {}),
      ...(definition.OKActions ? { OKActions: resolve(definition.OKActions) } : {}),
      ...(definition.InsufficientDataActions
        ? { InsufficientDataActions: resolve(definition.InsufficientDataActions) }
        : {}),
    });
    const policy = configuration.AlarmActions.map(policyByAction).find((p) => p !== undefined);
    addAlarm(configuration, policy?.arn);
  }
  if (alarms.length === 0) {
    throw new EcsError(
      "ValidationException",
      "MetricAlarms: a step scaling policy needs an alarm naming it in AlarmActions.",
    );
  }

  // ---- the virtual clock ----
  const feed = deps.write ? metricFeed(input) : [];
  const shortestPeriod = Math.min(...alarms.map((a) => a.configuration.Period));
  const intervalS = input.EvaluationIntervalSeconds ?? (shortestPeriod < 60 ? 10 : 60);
  const intervalMs = intervalS * 1000;
  const longestRangeMs = Math.max(
    ...alarms.map((a) => a.configuration.Period * (a.configuration.EvaluationPeriods + 2) * 1000),
  );
  const firstMs = input.StartTime?.getTime() ?? feed[0]?.atMs;
  if (firstMs === undefined)
    throw new EcsError("ValidationException", "StartTime: required when there is no metric data.");
  const startMs = Math.floor(firstMs / intervalMs) * intervalMs;
  const lastMs = input.EndTime?.getTime() ?? (feed.at(-1)?.atMs ?? startMs) + longestRangeMs;
  const maxTicks = deps.maxTicks ?? 1_000_000;
  if ((lastMs - startMs) / intervalMs > maxTicks) {
    throw new EcsError("ValidationException", `EndTime: more than ${maxTicks} evaluation ticks.`);
  }

  const startDelayMs = input.Service.TaskStartDelaySeconds * 1000;
  const stopDelayMs = input.Service.TaskStopDelaySeconds * 1000;
  let service = simulatedService(input.Service.DesiredCount, input.Service.RunningCount);
  const history: { -readonly [K in keyof CooldownHistory]: CooldownHistory[K] } = {};
  const transitions: SimAlarmTransition[] = [];
  const activities: SimScalingActivity[] = [];
  const capacity: SimCapacityChange[] = [];
  let activityCount = 0;
  let scaleOuts = 0;
  let scaleIns = 0;
  const base = {
    ServiceNamespace: "ecs",
    ResourceId: target.ResourceId,
    ScalableDimension: "ecs:service:DesiredCount",
  } as const;
  const noteCapacity = (ms: number) => {
    const last = capacity.at(-1);
    if (last?.DesiredCount === service.desired && last.RunningCount === service.running) return;
    capacity.push({
      Timestamp: iso(ms),
      DesiredCount: service.desired,
      RunningCount: service.running,
    });
  };

  // Min / max move a desired count outside them at once (no policy, no cooldown).
  if (service.desired < target.MinCapacity || service.desired > target.MaxCapacity) {
    const to = service.desired < target.MinCapacity ? target.MinCapacity : target.MaxCapacity;
    activities.push({
      ...base,
      ActivityId: simId(3, ++activityCount),
      Description: `Setting desired count to ${to}.`,
      Cause:
        service.desired < target.MinCapacity
          ? `minimum capacity was set to ${target.MinCapacity}`
          : `maximum capacity was set to ${target.MaxCapacity}`,
      StartTime: iso(startMs),
      EndTime: iso(startMs),
      StatusCode: "Successful",
      StatusMessage: `Successfully set desired count to ${to}. Change successfully fulfilled by ecs.`,
    });
    service = setDesired(service, to, startMs, startDelayMs, stopDelayMs);
  }

  let fed = 0;
  for (let t = startMs; t <= lastMs; t += intervalMs) {
    service = advanceService(service, t);
    // The datapoints the clock has passed reach the store before the evaluation.
    const batch = new Map<string, MetricDatumInput[]>();
    while (fed < feed.length && feed[fed]!.atMs < t) {
      const item = feed[fed++]!;
      batch.set(item.namespace, [
        ...(batch.get(item.namespace) ?? []),
        item.datum(service.running),
      ]);
    }
    for (const [namespace, datums] of batch) await deps.write!(namespace, datums, new Date(t));
    noteCapacity(t);

    // Evaluate every alarm first, so each policy sees its peers' state of this tick.
    const due: { alarm: SimAlarm; actions: readonly string[] }[] = [];
    for (const alarm of alarms) {
      // One evaluation per period, as the evaluator loop records them.
      const periodMs = alarm.configuration.Period * 1000;
      const periodEnd = Math.floor(t / periodMs) * periodMs;
      if (periodEnd <= alarm.lastEvaluatedPeriodEnd) continue;
      alarm.lastEvaluatedPeriodEnd = periodEnd;
      const ev = await evaluateAlarmAt(
        { configuration: alarm.configuration, stateValue: alarm.state },
        new Date(t),
        deps.source,
      );
      if (ev.changed) {
        transitions.push({
          Timestamp: iso(t),
          AlarmName: alarm.configuration.AlarmName,
          OldState: alarm.state,
          NewState: ev.state,
          StateReason: ev.stateReason ?? "",
          ...(ev.stateReasonData === undefined ? {} : { StateReasonData: ev.stateReasonData }),
        });
      }
      alarm.state = ev.state;
      alarm.metricValue = ev.metricValue;
      // Actions run on a transition, and again each period while in ALARM.
      if ((ev.changed || ev.state === "ALARM") && alarm.configuration.ActionsEnabled) {
        due.push({ alarm, actions: actionsForState(alarm.configuration, ev.state) });
      }
    }

    for (const { alarm, actions } of due) {
      for (const action of actions) {
        const policy = policyByAction(action);
        if (!policy) continue;
        const peers: PeerPolicy[] = policies
          .filter((p) => p !== policy && p.input.TargetTrackingScalingPolicyConfiguration)
          .map((p) => {
            const low = alarms.find((a) => a.configuration.AlarmName === p.lowAlarm);
            return {
              policyName: p.name,
              targetTracking: p.input.TargetTrackingScalingPolicyConfiguration!,
              lowAlarmInAlarm: low?.state === "ALARM",
              metricValue: low?.metricValue ?? null,
            };
          });
        const c = alarm.configuration;
        const decision = decideScaling({
          now: new Date(t),
          target: {
            minCapacity: target.MinCapacity,
            maxCapacity: target.MaxCapacity,
            suspended: {
              DynamicScalingInSuspended: target.SuspendedState?.DynamicScalingInSuspended ?? false,
              DynamicScalingOutSuspended:
                target.SuspendedState?.DynamicScalingOutSuspended ?? false,
              ScheduledScalingSuspended: target.SuspendedState?.ScheduledScalingSuspended ?? false,
            },
          },
          currentCapacity: service.desired,
          runningTasks: service.running,
          deploymentInProgress: false,
          policy: {
            policyName: policy.name,
            policyType: policy.type,
            ...(policy.input.StepScalingPolicyConfiguration
              ? { step: policy.input.StepScalingPolicyConfiguration }
              : {}),
            ...(policy.input.TargetTrackingScalingPolicyConfiguration
              ? { targetTracking: policy.input.TargetTrackingScalingPolicyConfiguration }
              : {}),
          },
          alarm: {
            alarmName: c.AlarmName,
            state: alarm.state,
            threshold: c.Threshold,
            comparisonOperator: c.ComparisonOperator,
            metricValue: alarm.metricValue,
          },
          peers,
          history,
        });
        if (decision.kind === "none") continue;
        const details = JSON.stringify({
          runningTasks: service.running,
          metricValue: alarm.metricValue,
          threshold: c.Threshold,
        });
        if (decision.kind === "scale") {
          activities.push({
            ...base,
            ActivityId: simId(3, ++activityCount),
            Description: decision.description,
            Cause: decision.cause,
            StartTime: iso(t),
            EndTime: iso(t),
            StatusCode: "Successful",
            StatusMessage: `Successfully set desired count to ${decision.toCapacity}. Change successfully fulfilled by ecs.`,
            Details: details,
          });
          if (decision.direction === "out") {
            scaleOuts += 1;
            history.lastScaleOut = {
              at: new Date(t),
              fromCapacity: decision.fromCapacity,
              toCapacity: decision.toCapacity,
            };
          } else {
            scaleIns += 1;
            history.lastScaleIn = { at: new Date(t) };
          }
          service = setDesired(service, decision.toCapacity, t, startDelayMs, stopDelayMs);
          noteCapacity(t);
        } else {
          activities.push({
            ...base,
            ActivityId: simId(3, ++activityCount),
            Description: decision.description,
            Cause: decision.cause,
            StartTime: iso(t),
            EndTime: iso(t),
            StatusCode: "Failed",
            StatusMessage: `Not scaled: ${decision.reasons.map((r) => r.Code).join(", ")}.`,
            NotScaledReasons: decision.reasons,
          });
        }
      }
    }
  }

  const summaries: SimPolicySummary[] = policies.map((p) => ({
    PolicyName: p.name,
    PolicyARN: p.arn,
    PolicyType: p.type,
    Alarms: (owned.get(p.arn) ?? []).map((name) => ({
      AlarmName: name,
      AlarmARN: alarmArn(arnCtx, name),
    })),
  }));
  return {
    ResourceId: target.ResourceId,
    StartTime: iso(startMs),
    EndTime: iso(lastMs),
    EvaluationIntervalSeconds: intervalS,
    ScalingPolicies: summaries,
    AlarmTransitions: transitions,
    ScalingActivities: activities,
    Capacity: capacity,
    Summary: {
      ScaleOuts: scaleOuts,
      ScaleIns: scaleIns,
      NotScaled: activities.filter((a) => a.NotScaledReasons).length,
      FinalDesiredCount: service.desired,
      FinalRunningCount: service.running,
    },
  };
};
