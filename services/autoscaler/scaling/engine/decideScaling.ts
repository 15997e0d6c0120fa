import type {
  AlarmState,
  ComparisonOperator,
} from "../../../../shared/domain/alarms/alarmDefinition.js";
import {
  DEFAULT_ECS_COOLDOWN_SECONDS,
  type PolicyType,
  type StepScalingPolicyConfiguration,
  type TargetTrackingScalingPolicyConfiguration,
} from "../../../../shared/domain/scaling/scalingPolicyConfiguration.js";
import type { NotScaledReason, SuspendedFlags } from "../../../../shared/events/index.js";
import { clampCapacity } from "./capacity.js";
import { scaleInBlocked, scaleOutInCooldown, type CooldownHistory } from "./cooldown.js";
import { NOT_SCALED, reason, type NotScaledCode } from "./notScaledReasons.js";
import { applyAdjustment, findStepAdjustment } from "./stepScaling.js";
import { targetTrackingCapacity } from "./targetTracking.js";

export interface ScalingTargetView {
  readonly minCapacity: number;
  readonly maxCapacity: number;
  readonly suspended: SuspendedFlags;
}

export interface ScalingPolicyView {
  readonly policyName: string;
  readonly policyType: PolicyType;
  readonly step?: StepScalingPolicyConfiguration;
  readonly targetTracking?: TargetTrackingScalingPolicyConfiguration;
}

/** The alarm that invoked the policy, as ExecuteScalingPolicy carries it. */
export interface AlarmInvocation {
  readonly alarmName: string;
  readonly state: AlarmState;
  readonly threshold: number;
  readonly comparisonOperator: ComparisonOperator;
  /** The newest datapoint the alarm evaluated; null when there was none. */
  readonly metricValue: number | null;
}

/** Another target tracking policy of the same target, for the scale-in vote. */
export interface PeerPolicy {
  readonly policyName: string;
  readonly targetTracking: TargetTrackingScalingPolicyConfiguration;
  /** Its low alarm is in ALARM (it wants to scale in). */
  readonly lowAlarmInAlarm: boolean;
  /** Its metric's latest value, as its alarm last reported it. */
  readonly metricValue: number | null;
}

export interface ScalingInput {
  readonly now: Date;
  readonly target: ScalingTargetView;
  /** The service's desired count. */
  readonly currentCapacity: number;
  /** The tasks that ran in the measured period (target tracking's base). */
  readonly runningTasks: number;
  readonly deploymentInProgress: boolean;
  readonly policy: ScalingPolicyView;
  readonly alarm: AlarmInvocation;
  /** The target's other target tracking policies (ignored by step scaling). */
  readonly peers: readonly PeerPolicy[];
  readonly history: CooldownHistory;
}

export type ScalingDecision =
  | {
      readonly kind: "scale";
      readonly direction: "out" | "in";
      readonly fromCapacity: number;
      readonly toCapacity: number;
      readonly description: string;
      readonly cause: string;
    }
  | {
      readonly kind: "notScaled";
      readonly direction: "out" | "in";
      /** The capacity the policy asked for (before the reason stopped it). */
      readonly wantedCapacity: number;
      readonly reasons: NotScaledReason[];
      readonly description: string;
      readonly cause: string;
    }
  /** The alarm is not in ALARM: nothing to decide. */
  | { readonly kind: "none" };

const causeOf = (input: ScalingInput): string =>
  `monitor alarm ${input.alarm.alarmName} in state ${input.alarm.state} triggered policy ${input.policy.policyName}`;

const scale = (input: ScalingInput, direction: "out" | "in", to: number): ScalingDecision => ({
  kind: "scale",
  direction,
  fromCapacity: input.currentCapacity,
  toCapacity: to,
  description: `Setting desired count to ${to}.`,
  cause: causeOf(input),
});

const notScaled = (
  input: ScalingInput,
  direction: "out" | "in",
  wanted: number,
  code: NotScaledCode,
): ScalingDecision => ({
  kind: "notScaled",
  direction,
  wantedCapacity: wanted,
  reasons: [
    reason(code, {
      current: input.currentCapacity,
      min: input.target.minCapacity,
      max: input.target.maxCapacity,
    }),
  ],
  description: `Not setting desired count to ${wanted}: ${code}.`,
  cause: causeOf(input),
});

/** Why a capacity that did not move stayed: at a bound in the direction asked, else already there. */
const unchangedReason = (input: ScalingInput, direction: "out" | "in") => {
  const { minCapacity, maxCapacity } = input.target;
  if (direction === "out" && input.currentCapacity >= maxCapacity) return NOT_SCALED.atMax;
  if (direction === "in" && input.currentCapacity <= minCapacity) return NOT_SCALED.atMin;
  return NOT_SCALED.atDesired;
};

const decideTargetTracking = (
  input: ScalingInput,
  config: TargetTrackingScalingPolicyConfiguration,
): ScalingDecision => {
  const { alarm, target, now, history } = input;
  const direction = alarm.comparisonOperator.startsWith("Greater") ? "out" : "in";
  if (alarm.metricValue === null) {
    return notScaled(input, direction, input.currentCapacity, NOT_SCALED.insufficientData);
  }
  const capacity = (metricValue: number, min: number, max: number) =>
    targetTrackingCapacity({
      runningTasks: input.runningTasks,
      metricValue,
      targetValue: config.TargetValue,
      minCapacity: min,
      maxCapacity: max,
    });
  const raw = capacity(alarm.metricValue, 0, Number.MAX_SAFE_INTEGER);
  const wanted = clampCapacity(raw, target.minCapacity, target.maxCapacity);

  if (direction === "out") {
    if (target.suspended.DynamicScalingOutSuspended) {
      return notScaled(input, "out", wanted, NOT_SCALED.scaleOutSuspended);
    }
    if (wanted <= input.currentCapacity) {
      return notScaled(input, "out", wanted, unchangedReason(input, "out"));
    }
    const inProgress = scaleOutInCooldown(
      history,
      config.ScaleOutCooldown ?? DEFAULT_ECS_COOLDOWN_SECONDS,
      now,
    );
    if (inProgress !== undefined && wanted <= inProgress.toCapacity) {
      return notScaled(input, "out", wanted, NOT_SCALED.scaleOutCooldown);
    }
    return scale(input, "out", wanted);
  }

  if (config.DisableScaleIn) return notScaled(input, "in", wanted, NOT_SCALED.scaleInDisabled);
  if (target.suspended.DynamicScalingInSuspended) {
    return notScaled(input, "in", wanted, NOT_SCALED.scaleInSuspended);
  }
  if (input.deploymentInProgress) return notScaled(input, "in", wanted, NOT_SCALED.deployment);
  // Scale in only as far as every scale-in-enabled target tracking policy agrees.
  let agreed = wanted;
  for (const peer of input.peers) {
    if (peer.targetTracking.DisableScaleIn) continue;
    if (!peer.lowAlarmInAlarm || peer.metricValue === null) {
      return notScaled(input, "in", wanted, NOT_SCALED.otherPolicies);
    }
    const theirs = targetTrackingCapacity({
      runningTasks: input.runningTasks,
      metricValue: peer.metricValue,
      targetValue: peer.targetTracking.TargetValue,
      minCapacity: target.minCapacity,
      maxCapacity: target.maxCapacity,
    });
    agreed = Math.max(agreed, theirs);
  }
  if (agreed >= input.currentCapacity) {
    return notScaled(input, "in", agreed, unchangedReason(input, "in"));
  }
  if (scaleInBlocked(history, config.ScaleInCooldown ?? DEFAULT_ECS_COOLDOWN_SECONDS, now)) {
    return notScaled(input, "in", agreed, NOT_SCALED.scaleInCooldown);
  }
  return scale(input, "in", agreed);
};

const decideStepScaling = (
  input: ScalingInput,
  config: StepScalingPolicyConfiguration,
): ScalingDecision => {
  const { alarm, target, now, history, currentCapacity } = input;
  const guessDirection = alarm.comparisonOperator.startsWith("Less") ? "in" : "out";
  if (alarm.metricValue === null) {
    return notScaled(input, guessDirection, currentCapacity, NOT_SCALED.insufficientData);
  }
  const step = findStepAdjustment(
    config.StepAdjustments ?? [],
    alarm.metricValue - alarm.threshold,
  );
  if (step === undefined) {
    return notScaled(input, guessDirection, currentCapacity, NOT_SCALED.noStep);
  }
  const type = config.AdjustmentType ?? "ChangeInCapacity";
  const cooldown = config.Cooldown ?? DEFAULT_ECS_COOLDOWN_SECONDS;
  const raw = applyAdjustment(
    type,
    step.ScalingAdjustment,
    currentCapacity,
    config.MinAdjustmentMagnitude,
  );
  const direction = raw > currentCapacity ? "out" : raw < currentCapacity ? "in" : guessDirection;
  let wanted = clampCapacity(raw, target.minCapacity, target.maxCapacity);

  if (direction === "out") {
    if (target.suspended.DynamicScalingOutSuspended) {
      return notScaled(input, "out", wanted, NOT_SCALED.scaleOutSuspended);
    }
    // During the cooldown the tasks the scale-out in progress added count as
    // already there: the step applies to the capacity it started from.
    const inProgress = scaleOutInCooldown(history, cooldown, now);
    if (inProgress !== undefined) {
      const fromStart = applyAdjustment(
        type,
        step.ScalingAdjustment,
        inProgress.fromCapacity,
        config.MinAdjustmentMagnitude,
      );
      wanted = clampCapacity(fromStart, target.minCapacity, target.maxCapacity);
      if (wanted <= currentCapacity) {
        return notScaled(
          input,
          "out",
          wanted,
          currentCapacity >= target.maxCapacity ? NOT_SCALED.atMax : NOT_SCALED.cooldown,
        );
      }
    }
    if (wanted <= currentCapacity) {
      return notScaled(input, "out", wanted, unchangedReason(input, "out"));
    }
    return scale(input, "out", wanted);
  }

  if (target.suspended.DynamicScalingInSuspended) {
    return notScaled(input, "in", wanted, NOT_SCALED.scaleInSuspended);
  }
  if (input.deploymentInProgress) return notScaled(input, "in", wanted, NOT_SCALED.deployment);
  if (wanted >= currentCapacity) {
    return notScaled(input, "in", wanted, unchangedReason(input, "in"));
  }
  const last = history.lastScaleIn;
  if (last !== undefined && now.getTime() < last.at.getTime() + cooldown * 1000) {
    return notScaled(input, "in", wanted, NOT_SCALED.cooldown);
  }
  return scale(input, "in", wanted);
};

/**
 * The whole decision of one policy invocation: pure, the time is an input.
 * See ./index.ts for the contract.
 */
export const decideScaling = (input: ScalingInput): ScalingDecision => {
  if (input.alarm.state !== "ALARM") return { kind: "none" };
  const { policy } = input;
  switch (policy.policyType) {
    case "TargetTrackingScaling":
      if (!policy.targetTracking)
        throw new Error(`policy ${policy.policyName} has no configuration`);
      return decideTargetTracking(input, policy.targetTracking);
    case "StepScaling":
      if (!policy.step) throw new Error(`policy ${policy.policyName} has no configuration`);
      return decideStepScaling(input, policy.step);
    default: {
      const never: never = policy.policyType;
      throw new Error(`unknown policy type ${String(never)}`);
    }
  }
};
