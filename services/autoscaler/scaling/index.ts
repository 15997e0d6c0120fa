/**
 * Application Auto Scaling's engine for ECS services, pure: no I/O, no clock.
 *
 *   decideScaling(input: ScalingInput): ScalingDecision
 *
 * `ScalingInput` (engine/decideScaling.ts):
 *   now                   the decision's time (a virtual clock's value in the simulator)
 *   target                { minCapacity, maxCapacity, suspended: SuspendedFlags }
 *   currentCapacity       the service's desired count
 *   runningTasks          the tasks that ran in the measured period (target tracking's base)
 *   deploymentInProgress  blocks scale-in
 *   policy                { policyName, policyType, step?, targetTracking? } in the API's shapes
 *   alarm                 { alarmName, state, threshold, comparisonOperator, metricValue }:
 *                         the alarm that invoked the policy (ExecuteScalingPolicy's fields)
 *   peers                 the target's other target tracking policies, for the scale-in vote:
 *                         { policyName, targetTracking, lowAlarmInAlarm, metricValue }
 *   history               { lastScaleOut?: { at, fromCapacity, toCapacity }, lastScaleIn?: { at } }
 *
 * `ScalingDecision`:
 *   { kind: "none" }                                   the alarm is not in ALARM
 *   { kind: "scale", direction, fromCapacity, toCapacity, description, cause }
 *   { kind: "notScaled", direction, wantedCapacity, reasons: NotScaledReason[], description, cause }
 *
 * Rules: target tracking asks for ceil(runningTasks × metric ÷ target) within
 * [min, max]; its high alarm scales out, its low alarm scales in, and a
 * scale-in goes only as far as every other scale-in-enabled target tracking
 * policy (low alarm in ALARM) agrees. ScaleOutCooldown lets only a larger
 * scale-out through; ScaleInCooldown blocks scale-in until a scale-out
 * cancels it. Step scaling picks the step holding metric − threshold (lower
 * bound inclusive above the threshold, upper bound inclusive below it) and
 * applies ChangeInCapacity, PercentChangeInCapacity (toward zero, never zero,
 * MinAdjustmentMagnitude) or ExactCapacity; during its Cooldown a scale-out
 * counts from the capacity the one in progress started from, and a scale-in
 * waits. Suspended scaling, DisableScaleIn and deployments in progress
 * refuse with their reason.
 *
 * The handlers around it (scalingCommands.ts) read the facts, append the
 * decision as an event, and send UpdateService.
 */
export {
  decideScaling,
  type AlarmInvocation,
  type PeerPolicy,
  type ScalingDecision,
  type ScalingInput,
  type ScalingPolicyView,
  type ScalingTargetView,
} from "./engine/decideScaling.js";
export { clampCapacity } from "./engine/capacity.js";
export { scaleInBlocked, scaleOutInCooldown, type CooldownHistory } from "./engine/cooldown.js";
export { NOT_SCALED, type NotScaledCode } from "./engine/notScaledReasons.js";
export { applyAdjustment, findStepAdjustment, percentChange } from "./engine/stepScaling.js";
export { targetTrackingCapacity } from "./engine/targetTracking.js";
export { trackedMetric, targetTrackingAlarms } from "./targetTrackingAlarms.js";
export { DEFAULT_SCALING_SETTINGS, type ScalingSettings } from "./scalingSettings.js";
export { validatePolicy } from "./policyValidation.js";
export { scalableTargetAggregate, type ScalableTargetState } from "./scalableTargetState.js";
export { scalingCommands, type ScalingDeps } from "./scalingCommands.js";
