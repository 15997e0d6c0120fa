import type { DecisionContext } from "../../../shared/aggregate/decider.js";
import type { PayloadOf } from "../../../shared/bus/index.js";
import type { ExecuteScalingPolicy } from "../../../shared/commands/autoscaler/index.js";
import type { AlarmSignal, DomainEvent } from "../../../shared/events/index.js";
import { decideScaling, type PeerPolicy, type ScalingDecision } from "./engine/decideScaling.js";
import { NOT_SCALED, reason } from "./engine/notScaledReasons.js";
import { cooldownHistory, type ScalableTargetState } from "./scalableTargetState.js";

/** What the handler read about the ECS service before deciding. */
export interface ServiceFacts {
  /** Undefined when the service is gone or not ACTIVE. */
  readonly desiredCount?: number;
  readonly runningTasks: number;
  readonly deploymentInProgress: boolean;
  /**
   * The current state of the target tracking alarms of the target's policies,
   * by alarm name (from the alarms projection). A policy's scale-in vote needs
   * its low alarm in ALARM now: target tracking alarms have no OK actions, so
   * the last signal a policy recorded may be stale.
   */
  readonly alarmStates: ReadonlyMap<string, string>;
}

/** What the decision came to: `scaled` (to `toCapacity`), or why not (a NotScaledReason code, …). */
export interface ExecutionOutcome {
  readonly outcome: string;
  readonly activityId?: string;
  /** Set when the outcome is `scaled`. */
  readonly toCapacity?: number;
}

const isLowAlarm = (name: string) => name.includes("-AlarmLow-");

/**
 * An alarm invoked a policy: the engine's decision as events. A scale begins
 * an activity (InProgress) that the handler completes after UpdateService; a
 * refusal is a not-scaled activity with its reasons; an alarm that left ALARM
 * is recorded so other policies' scale-in votes see it.
 */
export const decideExecuteScalingPolicy = (
  cmd: PayloadOf<typeof ExecuteScalingPolicy>,
  policyName: string,
  state: ScalableTargetState,
  facts: ServiceFacts,
  activityId: string,
  ctx: DecisionContext,
): { events: DomainEvent[]; outcome: ExecutionOutcome } => {
  const policy = state.policies[policyName];
  if (
    !state.registered ||
    !state.clusterName ||
    !state.resourceId ||
    !policy ||
    policy.policyArn !== cmd.policyArn
  ) {
    return { events: [], outcome: { outcome: "policyNotFound" } };
  }
  const at = ctx.now.getTime() / 1000;
  const base = { clusterName: state.clusterName, resourceId: state.resourceId };
  const signal: AlarmSignal = {
    alarmName: cmd.alarmName,
    state: cmd.state,
    metricValue: cmd.metricValue,
    threshold: cmd.threshold,
  };
  if (cmd.state !== "ALARM") {
    return {
      events: [{ type: "ScalingAlarmSignalled", data: { ...base, policyName, signal, at } }],
      outcome: { outcome: "alarmNotInAlarm" },
    };
  }
  if (facts.desiredCount === undefined) {
    return {
      events: [
        {
          type: "ScalingNotPerformed",
          data: {
            ...base,
            activityId,
            policyName,
            description: "Not scaling: the ECS service does not exist or is not ACTIVE.",
            cause: `monitor alarm ${cmd.alarmName} in state ALARM triggered policy ${policyName}`,
            notScaledReasons: [reason(NOT_SCALED.unscalable, { current: 0 })],
            signal,
            at,
          },
        },
      ],
      outcome: { outcome: NOT_SCALED.unscalable, activityId },
    };
  }
  const peers: PeerPolicy[] = Object.values(state.policies)
    .filter((p) => p.policyName !== policyName && p.targetTracking !== undefined)
    .map((p) => {
      const low = Object.values(p.signals).find((s) => isLowAlarm(s.alarmName));
      return {
        policyName: p.policyName,
        targetTracking: p.targetTracking!,
        lowAlarmInAlarm: low !== undefined && facts.alarmStates.get(low.alarmName) === "ALARM",
        metricValue: low?.metricValue ?? null,
      };
    });
  const decision: ScalingDecision = decideScaling({
    now: ctx.now,
    target: {
      minCapacity: state.minCapacity,
      maxCapacity: state.maxCapacity,
      suspended: state.suspendedState,
    },
    currentCapacity: facts.desiredCount,
    runningTasks: facts.runningTasks,
    deploymentInProgress: facts.deploymentInProgress,
    policy: {
      policyName,
      policyType: policy.policyType,
      ...(policy.step ? { step: policy.step } : {}),
      ...(policy.targetTracking ? { targetTracking: policy.targetTracking } : {}),
    },
    alarm: {
      alarmName: cmd.alarmName,
      state: cmd.state,
      threshold: cmd.threshold,
      comparisonOperator: cmd.comparisonOperator,
      metricValue: cmd.metricValue,
    },
    peers,
    history: cooldownHistory(state),
  });
  switch (decision.kind) {
    case "none":
      return { events: [], outcome: { outcome: "none" } };
    case "scale":
      return {
        events: [
          {
            type: "ScalingActivityStarted",
            data: {
              ...base,
              activityId,
              policyName,
              direction: decision.direction,
              fromCapacity: decision.fromCapacity,
              toCapacity: decision.toCapacity,
              description: decision.description,
              cause: decision.cause,
              details: JSON.stringify({
                runningTasks: facts.runningTasks,
                metricValue: cmd.metricValue,
                threshold: cmd.threshold,
              }),
              signal,
              at,
            },
          },
        ],
        outcome: { outcome: "scaled", activityId, toCapacity: decision.toCapacity },
      };
    case "notScaled":
      return {
        events: [
          {
            type: "ScalingNotPerformed",
            data: {
              ...base,
              activityId,
              policyName,
              description: decision.description,
              cause: decision.cause,
              notScaledReasons: decision.reasons,
              signal,
              at,
            },
          },
        ],
        outcome: { outcome: decision.reasons[0]!.Code, activityId },
      };
    default: {
      const never: never = decision;
      return never;
    }
  }
};
