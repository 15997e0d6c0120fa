import type {
  AlarmState,
  TreatMissingData,
} from "../../../../shared/domain/alarms/alarmDefinition.js";

/**
 * CloudWatch's rules for missing data, applied to the datapoints of the
 * evaluation range (newest first, `undefined` for a period without data):
 *
 * 1. At least N (EvaluationPeriods) real datapoints in the range: the N most
 *    recent real ones are evaluated, missing periods are skipped, and
 *    TreatMissingData plays no part.
 * 2. Some but fewer than N: every real datapoint in the range is evaluated and
 *    the rest of the N is filled, as few times as possible, with
 *    TreatMissingData — `breaching` fills breaching datapoints,
 *    `notBreaching` non-breaching ones, `missing` leaves them out (the alarm
 *    decides on the real datapoints only: ALARM when at least min(M, real)
 *    breach), and `ignore` changes state only when the fill could not change
 *    the outcome (otherwise the current state is kept).
 * 3. None at all: `missing` → INSUFFICIENT_DATA, `ignore` → keep the current
 *    state, `breaching` → ALARM, `notBreaching` → OK.
 *
 * Then: ALARM when at least M (DatapointsToAlarm) of the N breach, else OK.
 * CloudWatch's table (3 of 3, 5 datapoints retrieved), which the unit tests
 * check row by row (`0` not breaching, `X` breaching, `-` missing, oldest
 * first):
 *
 * | datapoints | filled | missing           | ignore  | breaching | notBreaching |
 * | 0 - X - X  | 0      | OK                | OK      | OK        | OK           |
 * | - - - - 0  | 2      | OK                | OK      | OK        | OK           |
 * | - - - - -  | 3      | INSUFFICIENT_DATA | keep    | ALARM     | OK           |
 * | 0 X X - X  | 0      | ALARM             | ALARM   | ALARM     | ALARM        |
 * | - - X - -  | 2      | ALARM             | keep    | ALARM     | OK           |
 */
export interface MissingDataDecision {
  /** The state the data calls for; undefined to keep the current state. */
  readonly state: AlarmState | undefined;
  /** Indexes (into the range, newest first) of the real datapoints evaluated. */
  readonly evaluated: readonly number[];
  /** How many of the N were filled in by TreatMissingData. */
  readonly filled: number;
  /** How many of the evaluated (real and filled) breach. */
  readonly breaching: number;
}

export const decideWithMissingData = (
  range: readonly (boolean | undefined)[],
  evaluationPeriods: number,
  datapointsToAlarm: number,
  treatMissingData: TreatMissingData,
): MissingDataDecision => {
  const real = range.flatMap((b, i) => (b === undefined ? [] : [i]));
  const n = evaluationPeriods;
  const m = datapointsToAlarm;
  const count = (indexes: readonly number[]) => indexes.filter((i) => range[i] === true).length;
  const verdict = (breaching: number): AlarmState => (breaching >= m ? "ALARM" : "OK");

  if (real.length >= n) {
    const evaluated = real.slice(0, n);
    const breaching = count(evaluated);
    return { state: verdict(breaching), evaluated, filled: 0, breaching };
  }
  const filled = n - real.length;
  const breachingReal = count(real);
  switch (treatMissingData) {
    case "breaching":
      return {
        state: verdict(breachingReal + filled),
        evaluated: real,
        filled,
        breaching: breachingReal + filled,
      };
    case "notBreaching":
      return { state: verdict(breachingReal), evaluated: real, filled, breaching: breachingReal };
    case "ignore": {
      const worst = verdict(breachingReal + filled);
      const best = verdict(breachingReal);
      return {
        state: worst === best ? best : undefined,
        evaluated: real,
        filled,
        breaching: breachingReal,
      };
    }
    case "missing":
      if (real.length === 0) {
        return { state: "INSUFFICIENT_DATA", evaluated: [], filled, breaching: 0 };
      }
      return {
        state: breachingReal >= Math.min(m, real.length) ? "ALARM" : "OK",
        evaluated: real,
        filled,
        breaching: breachingReal,
      };
  }
};
