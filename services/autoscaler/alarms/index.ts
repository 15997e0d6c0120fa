/**
 * CloudWatch metric alarms: deciders (PutMetricAlarm, DeleteAlarms,
 * SetAlarmState, Enable/DisableAlarmActions, recording an evaluation), the
 * pure evaluator and the evaluation loop.
 *
 * The evaluation step, for the evaluator loop and the simulator alike:
 *
 *   evaluateAlarmAt(
 *     alarm: { configuration: AlarmConfiguration; stateValue: AlarmState },
 *     at: Date,                 // evaluates the periods that ended at or before `at`
 *     source: MetricSource,     // shared/metrics/metricSource.ts
 *     queryDate?: Date,         // written into StateReasonData (default `at`)
 *   ): Promise<AlarmEvaluation>
 *
 *   AlarmEvaluation = { periodEnd, queryDate, state, changed, stateReason?, stateReasonData?,
 *                       metricValue: number | null, datapoints }
 *
 * It is pure apart from reading the source. A simulator on a virtual clock
 * calls it once per alarm period (at each period end plus its delay), keeps
 * `state` as the alarm's new state when `changed`, and runs the actions of
 * the state on a transition and every period while in ALARM (see
 * `decideRecordEvaluation` and `actionsForState` for the exact rule).
 */
export { evaluateAlarmAt, type EvaluatedAlarm } from "./evaluation/evaluateAlarmAt.js";
export { evaluateAlarm, type AlarmEvaluation } from "./evaluation/evaluateAlarm.js";
export { evaluationWindow } from "./evaluation/evaluationRange.js";
export { validateAlarm } from "./validateAlarm.js";
export { actionsForState, alarmAggregate, type AlarmAggregateState } from "./alarmState.js";
export { decideRecordEvaluation, type EvaluationOutcome } from "./recordEvaluation.js";
export {
  startAlarmEvaluator,
  type AlarmEvaluator,
  type AlarmEvaluatorOptions,
} from "./alarmEvaluator.js";
export { alarmCommands } from "./alarmCommands.js";
