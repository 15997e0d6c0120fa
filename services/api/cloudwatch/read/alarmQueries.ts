import type { Kysely, Selectable } from "kysely";
import type { AlarmsTable, Database } from "../../../../shared/db/index.js";
import { EcsError } from "../../../../shared/domain/errors.js";
import type { AlarmConfiguration } from "../../../../shared/events/index.js";

export type AlarmRow = Selectable<AlarmsTable>;

/** An alarm as DescribeAlarms and DescribeAlarmsForMetric return it (a MetricAlarm). */
export const metricAlarmOf = (row: AlarmRow) => {
  const c = row.configuration as unknown as AlarmConfiguration;
  return {
    AlarmName: row.alarm_name,
    AlarmArn: row.alarm_arn,
    ...(c.AlarmDescription === undefined ? {} : { AlarmDescription: c.AlarmDescription }),
    AlarmConfigurationUpdatedTimestamp: row.configuration_updated_at,
    ActionsEnabled: row.actions_enabled,
    OKActions: c.OKActions,
    AlarmActions: c.AlarmActions,
    InsufficientDataActions: c.InsufficientDataActions,
    StateValue: row.state_value,
    StateReason: row.state_reason,
    ...(row.state_reason_data === null ? {} : { StateReasonData: row.state_reason_data }),
    StateUpdatedTimestamp: row.state_updated_at,
    MetricName: c.MetricName,
    Namespace: c.Namespace,
    ...(c.Statistic === undefined ? {} : { Statistic: c.Statistic }),
    ...(c.ExtendedStatistic === undefined ? {} : { ExtendedStatistic: c.ExtendedStatistic }),
    Dimensions: c.Dimensions,
    Period: c.Period,
    ...(c.Unit === undefined ? {} : { Unit: c.Unit }),
    EvaluationPeriods: c.EvaluationPeriods,
    DatapointsToAlarm: c.DatapointsToAlarm,
    Threshold: c.Threshold,
    ComparisonOperator: c.ComparisonOperator,
    TreatMissingData: c.TreatMissingData,
    ...(c.EvaluateLowSampleCountPercentile === undefined
      ? {}
      : { EvaluateLowSampleCountPercentile: c.EvaluateLowSampleCountPercentile }),
    StateTransitionedTimestamp: row.state_transitioned_at,
  };
};

export interface AlarmFilter {
  readonly names?: readonly string[];
  readonly namePrefix?: string;
  readonly stateValue?: string;
  readonly namespace?: string;
  readonly metricName?: string;
  /** Only alarms named after this one (paging). */
  readonly after?: string;
}

/** The alarms matching a filter, by name. */
export const findAlarms = async (db: Kysely<Database>, f: AlarmFilter): Promise<AlarmRow[]> => {
  let q = db.selectFrom("alarms").selectAll().orderBy("alarm_name");
  if (f.names) {
    if (f.names.length === 0) return [];
    q = q.where("alarm_name", "in", [...f.names]);
  }
  if (f.namePrefix !== undefined) {
    q = q.where("alarm_name", "like", `${f.namePrefix.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
  }
  if (f.stateValue !== undefined) q = q.where("state_value", "=", f.stateValue);
  if (f.namespace !== undefined) q = q.where("namespace", "=", f.namespace);
  if (f.metricName !== undefined) q = q.where("metric_name", "=", f.metricName);
  if (f.after !== undefined) q = q.where("alarm_name", ">", f.after);
  return q.execute();
};

/** CloudWatch's NextToken: opaque; a token this API did not issue is InvalidNextToken. */
export const encodeNextToken = (key: readonly (string | number)[]): string =>
  Buffer.from(JSON.stringify(key), "utf8").toString("base64url");

export const decodeNextToken = (
  token: string | undefined,
  check: (key: unknown[]) => boolean,
): unknown[] | undefined => {
  if (token === undefined) return undefined;
  try {
    const key = JSON.parse(Buffer.from(token, "base64url").toString("utf8")) as unknown;
    if (Array.isArray(key) && check(key as unknown[])) return key as unknown[];
  } catch {
    // falls through
  }
  throw new EcsError("InvalidNextToken", "The NextToken is not valid.");
};
