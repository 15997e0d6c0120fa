import type { AlarmState } from "../../../../shared/domain/alarms/alarmDefinition.js";
import type { AlarmConfiguration } from "../../../../shared/events/index.js";
import type { SeriesPoint } from "../../../../shared/metrics/metricSource.js";
import { isBreaching } from "./comparison.js";
import type { EvaluationWindow } from "./evaluationRange.js";
import { isLowSampleCount } from "./lowSampleCount.js";
import { decideWithMissingData } from "./missingData.js";
import { stateReason } from "./stateReason.js";
import { stateReasonData } from "./stateReasonData.js";

/** What one evaluation of an alarm concluded. */
export interface AlarmEvaluation {
  /** End of the newest period evaluated. */
  readonly periodEnd: Date;
  readonly queryDate: Date;
  /** The state after the evaluation (the current one when the data keeps it). */
  readonly state: AlarmState;
  /** Whether `state` differs from the state before. */
  readonly changed: boolean;
  /** CloudWatch's reason and data, when the state changed. */
  readonly stateReason?: string;
  readonly stateReasonData?: string;
  /** The newest real datapoint evaluated (what a scaling policy measures), or null. */
  readonly metricValue: number | null;
  /** The real datapoints of the evaluation range, newest first. */
  readonly datapoints: readonly SeriesPoint[];
}

/**
 * Evaluates an alarm over the datapoints of its evaluation range: pure, no
 * I/O, no clock (`queryDate` is when the data was read).
 */
export const evaluateAlarm = (
  configuration: AlarmConfiguration,
  current: AlarmState,
  window: EvaluationWindow,
  points: readonly SeriesPoint[],
  queryDate: Date,
): AlarmEvaluation => {
  const byStart = new Map(points.map((p) => [p.timestamp.getTime(), p]));
  const range = window.periods.map((start) => byStart.get(start.getTime()));
  const real = range.filter((p): p is SeriesPoint => p !== undefined);
  const breaches = (p: SeriesPoint) =>
    isBreaching(p.value, configuration.ComparisonOperator, configuration.Threshold);
  const decision = decideWithMissingData(
    range.map((p) => (p === undefined ? undefined : breaches(p))),
    configuration.EvaluationPeriods,
    configuration.DatapointsToAlarm,
    configuration.TreatMissingData,
  );
  const evaluated = decision.evaluated.map((i) => range[i]!);
  const metricValue = evaluated[0]?.value ?? null;
  const base = { periodEnd: window.end, queryDate, metricValue, datapoints: real };

  const extended = configuration.ExtendedStatistic;
  const insignificant =
    extended !== undefined &&
    configuration.EvaluateLowSampleCountPercentile === "ignore" &&
    evaluated.some((p) => isLowSampleCount(extended, p.sampleCount));
  const next = insignificant ? undefined : decision.state;
  if (next === undefined || next === current) {
    return { ...base, state: current, changed: false };
  }
  const periodMs = configuration.Period * 1000;
  const oldestEvaluated = evaluated[evaluated.length - 1]?.timestamp.getTime() ?? Infinity;
  const startDate = new Date(
    Math.min(oldestEvaluated, window.end.getTime() - configuration.EvaluationPeriods * periodMs),
  );
  return {
    ...base,
    state: next,
    changed: true,
    stateReason: stateReason({
      oldState: current,
      newState: next,
      evaluationPeriods: configuration.EvaluationPeriods,
      datapointsToAlarm: configuration.DatapointsToAlarm,
      threshold: configuration.Threshold,
      comparisonOperator: configuration.ComparisonOperator,
      treatMissingData: configuration.TreatMissingData,
      datapoints: evaluated.map((p) => ({ ...p, breaching: breaches(p) })),
      filled: decision.filled,
      breaching: decision.breaching,
    }),
    stateReasonData: stateReasonData({
      queryDate,
      startDate,
      statistic: extended ?? configuration.Statistic ?? "Average",
      extended: extended !== undefined,
      period: configuration.Period,
      unit: configuration.Unit,
      threshold: configuration.Threshold,
      recent: real,
      evaluated,
    }),
  };
};
