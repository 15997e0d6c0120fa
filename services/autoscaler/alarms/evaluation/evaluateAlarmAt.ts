import type { AlarmState } from "../../../../shared/domain/alarms/alarmDefinition.js";
import type { AlarmConfiguration } from "../../../../shared/events/index.js";
import type { MetricSource } from "../../../../shared/metrics/metricSource.js";
import { evaluateAlarm, type AlarmEvaluation } from "./evaluateAlarm.js";
import { evaluationWindow } from "./evaluationRange.js";

/** An alarm as an evaluation needs it: its configuration and current state. */
export interface EvaluatedAlarm {
  readonly configuration: AlarmConfiguration;
  readonly stateValue: AlarmState;
}

/**
 * The one evaluation step, shared by the evaluator loop and the simulator:
 * evaluate `alarm` at time `at` against `source` (the periods that ended at or
 * before `at`, over the alarm's evaluation range). It reads the source and
 * nothing else — no clock, no store — so a virtual clock can drive it.
 * `queryDate` (default `at`) is the time written into StateReasonData.
 */
export const evaluateAlarmAt = async (
  alarm: EvaluatedAlarm,
  at: Date,
  source: MetricSource,
  queryDate: Date = at,
): Promise<AlarmEvaluation> => {
  const c = alarm.configuration;
  const window = evaluationWindow(c, at);
  const points = await source.series({
    metric: {
      namespace: c.Namespace,
      metricName: c.MetricName,
      dimensions: c.Dimensions.map((d) => ({ name: d.Name, value: d.Value })),
    },
    stat: c.ExtendedStatistic ?? c.Statistic ?? "Average",
    period: c.Period,
    start: window.start,
    end: window.end,
    ...(c.Unit === undefined ? {} : { unit: c.Unit }),
  });
  return evaluateAlarm(c, alarm.stateValue, window, points, queryDate);
};
