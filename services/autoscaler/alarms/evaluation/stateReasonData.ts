import { javaDouble } from "./javaDouble.js";
import { reasonDataDate } from "./timestamps.js";

export interface ReasonDataInput {
  readonly queryDate: Date;
  readonly startDate: Date;
  /** A Statistic, or a percentile (written as `extendedStatistic`). */
  readonly statistic: string;
  readonly extended: boolean;
  readonly period: number;
  readonly unit?: string | undefined;
  readonly threshold: number;
  /** Every real datapoint of the evaluation range, newest first. */
  readonly recent: readonly { timestamp: Date; value: number; sampleCount: number }[];
  /** The datapoints evaluated, newest first. */
  readonly evaluated: readonly { timestamp: Date; value: number; sampleCount: number }[];
}

/**
 * StateReasonData as CloudWatch writes it: a JSON string with its numbers in
 * Java's form (`50.0`), built by hand so they stay so:
 * `{"version":"1.0","queryDate":"…+0000","startDate":"…","statistic":"Average","period":60,
 * "recentDatapoints":[…oldest first],"threshold":50.0,"evaluatedDatapoints":[{"timestamp":"…",
 * "sampleCount":5.0,"value":80.1},…newest first]}`.
 */
export const stateReasonData = (d: ReasonDataInput): string => {
  const str = (s: string) => JSON.stringify(s);
  const fields = [
    `"version":"1.0"`,
    `"queryDate":${str(reasonDataDate(d.queryDate))}`,
    `"startDate":${str(reasonDataDate(d.startDate))}`,
    `${d.extended ? `"extendedStatistic"` : `"statistic"`}:${str(d.statistic)}`,
    `"period":${d.period}`,
    ...(d.unit === undefined ? [] : [`"unit":${str(d.unit)}`]),
    `"recentDatapoints":[${[...d.recent]
      .reverse()
      .map((p) => javaDouble(p.value))
      .join(",")}]`,
    `"threshold":${javaDouble(d.threshold)}`,
    `"evaluatedDatapoints":[${d.evaluated
      .map(
        (p) =>
          `{"timestamp":${str(reasonDataDate(p.timestamp))},"sampleCount":${javaDouble(p.sampleCount)},"value":${javaDouble(p.value)}}`,
      )
      .join(",")}]`,
  ];
  return `{${fields.join(",")}}`;
};
