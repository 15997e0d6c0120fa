import type { AlarmConfiguration } from "../../../../shared/events/index.js";

/**
 * The evaluation range. CloudWatch retrieves more datapoints than
 * EvaluationPeriods, so that a few missing recent periods (data that arrives
 * late, or the newest period not complete yet) do not force the
 * missing-data rules: Flotilla retrieves EvaluationPeriods + 2 periods, as in
 * CloudWatch's documented example (5 periods for an alarm of 3).
 *
 * An evaluation at time t looks at the periods that ended at or before t:
 * `end` is t aligned down to the period, `start` is `end` minus the range.
 */
export const EXTRA_PERIODS = 2;

export interface EvaluationWindow {
  /** Inclusive, aligned to the period. */
  readonly start: Date;
  /** Exclusive: the end of the newest period evaluated. */
  readonly end: Date;
  /** Period starts, newest first. */
  readonly periods: readonly Date[];
}

export const evaluationWindow = (
  configuration: Pick<AlarmConfiguration, "Period" | "EvaluationPeriods">,
  at: Date,
): EvaluationWindow => {
  const periodMs = configuration.Period * 1000;
  const endMs = Math.floor(at.getTime() / periodMs) * periodMs;
  const count = configuration.EvaluationPeriods + EXTRA_PERIODS;
  const periods = Array.from({ length: count }, (_, i) => new Date(endMs - (i + 1) * periodMs));
  return { start: new Date(endMs - count * periodMs), end: new Date(endMs), periods };
};
