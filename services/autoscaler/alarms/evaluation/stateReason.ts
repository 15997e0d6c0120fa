import type {
  AlarmState,
  ComparisonOperator,
  TreatMissingData,
} from "../../../../shared/domain/alarms/alarmDefinition.js";
import { operatorWords } from "./comparison.js";
import { javaDouble } from "./javaDouble.js";
import { reasonDate } from "./timestamps.js";

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;
const verb = (n: number) => (n === 1 ? "was" : "were");

export interface ReasonInput {
  readonly oldState: AlarmState;
  readonly newState: AlarmState;
  readonly evaluationPeriods: number;
  readonly datapointsToAlarm: number;
  readonly threshold: number;
  readonly comparisonOperator: ComparisonOperator;
  readonly treatMissingData: TreatMissingData;
  /** The real datapoints evaluated, newest first, with whether each breaches. */
  readonly datapoints: readonly { timestamp: Date; value: number; breaching: boolean }[];
  /** How many of the N were filled in by TreatMissingData. */
  readonly filled: number;
  /** How many of the N (real and filled) breach. */
  readonly breaching: number;
}

/**
 * StateReason in CloudWatch's wording:
 * - `Threshold Crossed: 3 out of the last 3 datapoints [80.1 (26/11/26 20:05:00), …] were greater
 *   than the threshold (50.0) (minimum 3 datapoints for OK -> ALARM transition).`
 * - `Threshold Crossed: 1 datapoint [80.1 (26/11/26 20:05:00)] was greater than the threshold (50.0).`
 *   (an alarm of one period)
 * - `Threshold Crossed: no datapoints were received for 3 periods and 3 missing datapoints were
 *   treated as [Breaching].`
 * - `Insufficient Data: 3 datapoints were unknown.`
 * For OK the listed datapoints are the ones that do not breach ("were not greater than …").
 */
export const stateReason = (r: ReasonInput): string => {
  const n = r.evaluationPeriods;
  if (r.newState === "INSUFFICIENT_DATA") {
    return `Insufficient Data: ${plural(n, "datapoint")} ${verb(n)} unknown.`;
  }
  if (r.datapoints.length === 0) {
    const treated = r.treatMissingData === "breaching" ? "Breaching" : "NonBreaching";
    return (
      `Threshold Crossed: no datapoints were received for ${plural(n, "period")} and ` +
      `${plural(r.filled, "missing datapoint")} ${verb(r.filled)} treated as [${treated}].`
    );
  }
  const toAlarm = r.newState === "ALARM";
  const shown = r.datapoints.filter((d) => d.breaching === toAlarm);
  const k = toAlarm ? r.breaching : n - r.breaching;
  const list = shown.map((d) => `${javaDouble(d.value)} (${reasonDate(d.timestamp)})`).join(", ");
  const comparison = `${toAlarm ? "" : "not "}${operatorWords(r.comparisonOperator)}`;
  const threshold = `the threshold (${javaDouble(r.threshold)})`;
  if (n === 1 && r.filled === 0) {
    return `Threshold Crossed: 1 datapoint [${list}] was ${comparison} ${threshold}.`;
  }
  const minimum = toAlarm ? r.datapointsToAlarm : n - r.datapointsToAlarm + 1;
  return (
    `Threshold Crossed: ${k} out of the last ${plural(n, "datapoint")} [${list}] ${verb(k)} ` +
    `${comparison} ${threshold} (minimum ${plural(minimum, "datapoint")} for ` +
    `${r.oldState} -> ${r.newState} transition).`
  );
};
