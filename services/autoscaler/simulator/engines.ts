/**
 * The engines the simulator shares with the live autoscaler, in one place: the
 * alarm evaluator's pure step and the scaling engine's decision, the alarms a
 * target tracking policy owns, and the validation PutMetricAlarm and
 * PutScalingPolicy apply. Nothing here is re-implemented for the simulator.
 */
export {
  actionsForState,
  evaluateAlarmAt,
  validateAlarm,
  type AlarmEvaluation,
} from "../alarms/index.js";
export {
  decideScaling,
  DEFAULT_SCALING_SETTINGS,
  targetTrackingAlarms,
  type CooldownHistory,
  type PeerPolicy,
  type ScalingDecision,
  type ScalingInput,
  type ScalingSettings,
} from "../scaling/index.js";
// Not (yet) in scaling/index.ts: PutScalingPolicy's validation.
export { validatePolicy } from "../scaling/policyValidation.js";
