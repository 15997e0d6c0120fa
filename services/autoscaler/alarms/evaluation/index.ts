/** CloudWatch's alarm evaluation, pure: see ../index.ts for the public entry points. */
export { evaluateAlarm, type AlarmEvaluation } from "./evaluateAlarm.js";
export { evaluateAlarmAt, type EvaluatedAlarm } from "./evaluateAlarmAt.js";
export { evaluationWindow, EXTRA_PERIODS, type EvaluationWindow } from "./evaluationRange.js";
export { decideWithMissingData, type MissingDataDecision } from "./missingData.js";
export { isBreaching, operatorWords } from "./comparison.js";
export { isLowSampleCount, minimumSignificantSamples } from "./lowSampleCount.js";
export { stateReason } from "./stateReason.js";
export { stateReasonData } from "./stateReasonData.js";
export { javaDouble } from "./javaDouble.js";
