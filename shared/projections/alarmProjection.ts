import type { Kysely, Selectable } from "kysely";
import type { AlarmsTable, Database } from "../db/index.js";
import type { InlineProjection, RecordedEvent } from "../eventstore/index.js";
import type {
  AlarmActionInvoked,
  AlarmActionsEnabled,
  AlarmConfiguration,
  AlarmDeleted,
  AlarmPut,
  AlarmStateChanged,
} from "../events/index.js";

const at = (epochSeconds: number): Date => new Date(Math.round(epochSeconds * 1000));

/** `2026-11-26T20:05:00.000+0000`, CloudWatch's time format inside HistoryData. */
export const historyDate = (d: Date): string => `${d.toISOString().slice(0, 23)}+0000`;

/** CloudWatch's reason for a new alarm's first state (the aggregate says the same). */
export const INITIAL_STATE_REASON = "Unchecked: Initial alarm creation";

type AlarmRow = Selectable<AlarmsTable>;

/** The columns a history item shows (the in-memory rebuild's rows have them too). */
export type HistoryAlarmColumns = Pick<
  AlarmRow,
  | "alarm_name"
  | "alarm_arn"
  | "configuration"
  | "configuration_updated_at"
  | "actions_enabled"
  | "state_value"
  | "state_reason"
  | "state_updated_at"
>;

/** The alarm as CloudWatch's ConfigurationUpdate history items describe it (camelCase). */
export const historyAlarm = (row: HistoryAlarmColumns): Record<string, unknown> => {
  const c = row.configuration as unknown as AlarmConfiguration;
  return {
    alarmName: row.alarm_name,
    alarmArn: row.alarm_arn,
    ...(c.AlarmDescription === undefined ? {} : { alarmDescription: c.AlarmDescription }),
    alarmConfigurationUpdatedTimestamp: historyDate(row.configuration_updated_at),
    actionsEnabled: row.actions_enabled,
    stateValue: row.state_value,
    stateReason: row.state_reason,
    stateUpdatedTimestamp: historyDate(row.state_updated_at),
    namespace: c.Namespace,
    metricName: c.MetricName,
    dimensions: c.Dimensions.map((d) => ({ name: d.Name, value: d.Value })),
    ...(c.ExtendedStatistic === undefined
      ? { statistic: c.Statistic }
      : { extendedStatistic: c.ExtendedStatistic }),
    period: c.Period,
    ...(c.Unit === undefined ? {} : { unit: c.Unit }),
    evaluationPeriods: c.EvaluationPeriods,
    datapointsToAlarm: c.DatapointsToAlarm,
    threshold: c.Threshold,
    comparisonOperator: c.ComparisonOperator,
    treatMissingData: c.TreatMissingData,
    ...(c.EvaluateLowSampleCountPercentile === undefined
      ? {}
      : { evaluateLowSampleCountPercentile: c.EvaluateLowSampleCountPercentile }),
    okactions: c.OKActions,
    alarmActions: c.AlarmActions,
    insufficientDataActions: c.InsufficientDataActions,
  };
};

const historyKeyOf: Record<string, string> = {
  AlarmDescription: "alarmDescription",
  ActionsEnabled: "actionsEnabled",
  OKActions: "okactions",
  AlarmActions: "alarmActions",
  InsufficientDataActions: "insufficientDataActions",
  MetricName: "metricName",
  Namespace: "namespace",
  Statistic: "statistic",
  ExtendedStatistic: "extendedStatistic",
  Dimensions: "dimensions",
  Period: "period",
  Unit: "unit",
  EvaluationPeriods: "evaluationPeriods",
  DatapointsToAlarm: "datapointsToAlarm",
  Threshold: "threshold",
  ComparisonOperator: "comparisonOperator",
  TreatMissingData: "treatMissingData",
  EvaluateLowSampleCountPercentile: "evaluateLowSampleCountPercentile",
};

/** The previous values of the fields an update changed, keyed as in `historyAlarm`. */
export const originalUpdatedFields = (
  before: AlarmConfiguration,
  after: AlarmConfiguration,
): Record<string, unknown> => {
  const out: Record<string, unknown> = {};
  const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
  for (const key of [...keys].sort()) {
    const b = (before as Record<string, unknown>)[key];
    const a = (after as Record<string, unknown>)[key];
    if (JSON.stringify(a) !== JSON.stringify(b)) {
      out[historyKeyOf[key] ?? key] =
        key === "Dimensions" && Array.isArray(b)
          ? (b as { Name: string; Value: string }[]).map((d) => ({ name: d.Name, value: d.Value }))
          : (b ?? null);
    }
  }
  return out;
};

/** `{"stateValue":…,"stateReason":…,"stateReasonData":{…}}` with the reason data kept verbatim. */
export const stateJson = (value: string, reason: string, reasonData: string | null | undefined) =>
  `{"stateValue":${JSON.stringify(value)},"stateReason":${JSON.stringify(reason)}` +
  `${reasonData ? `,"stateReasonData":${reasonData}` : ""}}`;

const findAlarm = (db: Kysely<Database>, name: string) =>
  db.selectFrom("alarms").selectAll().where("alarm_name", "=", name).executeTakeFirst();

const addHistory = (
  db: Kysely<Database>,
  event: RecordedEvent,
  row: {
    alarmName: string;
    timestamp: Date;
    type: "ConfigurationUpdate" | "StateUpdate" | "Action";
    summary: string;
    data: string;
  },
) =>
  db
    .insertInto("alarm_history")
    .values({
      position: event.position,
      alarm_name: row.alarmName,
      alarm_type: "MetricAlarm",
      timestamp: row.timestamp,
      history_item_type: row.type,
      history_summary: row.summary,
      history_data: row.data,
    })
    .execute();

const touch = (db: Kysely<Database>, name: string, event: RecordedEvent) =>
  db
    .updateTable("alarms")
    .set({ version: event.streamVersion, last_position: event.position })
    .where("alarm_name", "=", name)
    .execute();

export const sortedDimensions = (c: AlarmConfiguration) =>
  [...c.Dimensions].sort((a, b) => (a.Name < b.Name ? -1 : a.Name > b.Name ? 1 : 0));

/**
 * alarms and alarm_history: what DescribeAlarms, DescribeAlarmsForMetric and
 * DescribeAlarmHistory return. Only the event's data (and rows this
 * projection wrote before) are used, so a rebuild equals live.
 */
export const alarmProjection: InlineProjection = {
  name: "alarms",
  tables: ["alarms", "alarm_history"],
  handles: [
    "AlarmPut",
    "AlarmDeleted",
    "AlarmStateChanged",
    "AlarmActionsEnabled",
    "AlarmActionsDisabled",
    "AlarmActionsDue",
    "AlarmActionInvoked",
  ],
  async apply(db, event) {
    switch (event.type) {
      case "AlarmPut": {
        const d = event.data as AlarmPut;
        const when = at(d.at);
        const c = d.configuration;
        const before = d.created ? undefined : await findAlarm(db, d.alarmName);
        const row = {
          alarm_name: d.alarmName,
          alarm_arn: d.alarmArn,
          namespace: c.Namespace,
          metric_name: c.MetricName,
          dimensions: JSON.stringify(sortedDimensions(c)),
          period: c.Period,
          configuration: JSON.stringify(c),
          managed_by: d.managedBy ?? null,
          actions_enabled: c.ActionsEnabled,
          configuration_updated_at: when,
          version: event.streamVersion,
          last_position: event.position,
        };
        if (before) {
          await db.updateTable("alarms").set(row).where("alarm_name", "=", d.alarmName).execute();
        } else {
          await db
            .insertInto("alarms")
            .values({
              ...row,
              state_value: "INSUFFICIENT_DATA",
              state_reason: INITIAL_STATE_REASON,
              state_reason_data: null,
              state_updated_at: when,
              state_transitioned_at: when,
            })
            .execute();
        }
        const after = (await findAlarm(db, d.alarmName))!;
        const data = before
          ? {
              version: "1.0",
              type: "Update",
              updatedAlarm: historyAlarm(after),
              originalUpdatedFields: originalUpdatedFields(
                before.configuration as unknown as AlarmConfiguration,
                c,
              ),
            }
          : { version: "1.0", type: "Create", createdAlarm: historyAlarm(after) };
        await addHistory(db, event, {
          alarmName: d.alarmName,
          timestamp: when,
          type: "ConfigurationUpdate",
          summary: `Alarm "${d.alarmName}" ${before ? "updated" : "created"}`,
          data: JSON.stringify(data),
        });
        return;
      }
      case "AlarmDeleted": {
        const d = event.data as AlarmDeleted;
        const before = await findAlarm(db, d.alarmName);
        await db.deleteFrom("alarms").where("alarm_name", "=", d.alarmName).execute();
        await addHistory(db, event, {
          alarmName: d.alarmName,
          timestamp: at(d.at),
          type: "ConfigurationUpdate",
          summary: `Alarm "${d.alarmName}" deleted`,
          data: JSON.stringify({
            version: "1.0",
            type: "Delete",
            ...(before ? { deletedAlarm: historyAlarm(before) } : {}),
          }),
        });
        return;
      }
      case "AlarmStateChanged": {
        const d = event.data as AlarmStateChanged;
        const before = await findAlarm(db, d.alarmName);
        if (!before) return;
        const when = at(d.at);
        await db
          .updateTable("alarms")
          .set({
            state_value: d.newState,
            state_reason: d.stateReason,
            state_reason_data: d.stateReasonData ?? null,
            state_updated_at: when,
            ...(d.newState === before.state_value ? {} : { state_transitioned_at: when }),
            version: event.streamVersion,
            last_position: event.position,
          })
          .where("alarm_name", "=", d.alarmName)
          .execute();
        await addHistory(db, event, {
          alarmName: d.alarmName,
          timestamp: when,
          type: "StateUpdate",
          summary: `Alarm updated from ${d.oldState} to ${d.newState}`,
          data:
            `{"version":"1.0","oldState":${stateJson(before.state_value, before.state_reason, before.state_reason_data)},` +
            `"newState":${stateJson(d.newState, d.stateReason, d.stateReasonData)}}`,
        });
        return;
      }
      case "AlarmActionsEnabled":
      case "AlarmActionsDisabled": {
        const d = event.data as AlarmActionsEnabled;
        const enabled = event.type === "AlarmActionsEnabled";
        const before = await findAlarm(db, d.alarmName);
        if (!before) return;
        const configuration = {
          ...(before.configuration as unknown as AlarmConfiguration),
          ActionsEnabled: enabled,
        };
        const when = at(d.at);
        await db
          .updateTable("alarms")
          .set({
            actions_enabled: enabled,
            configuration: JSON.stringify(configuration),
            configuration_updated_at: when,
            version: event.streamVersion,
            last_position: event.position,
          })
          .where("alarm_name", "=", d.alarmName)
          .execute();
        const after = (await findAlarm(db, d.alarmName))!;
        await addHistory(db, event, {
          alarmName: d.alarmName,
          timestamp: when,
          type: "ConfigurationUpdate",
          summary: `Alarm "${d.alarmName}" updated`,
          data: JSON.stringify({
            version: "1.0",
            type: "Update",
            updatedAlarm: historyAlarm(after),
            originalUpdatedFields: { actionsEnabled: before.actions_enabled },
          }),
        });
        return;
      }
      case "AlarmActionsDue":
        await touch(db, (event.data as { alarmName: string }).alarmName, event);
        return;
      case "AlarmActionInvoked": {
        const d = event.data as AlarmActionInvoked;
        const row = await findAlarm(db, d.alarmName);
        if (row) await touch(db, d.alarmName, event);
        const ok = d.outcome === "Succeeded";
        await addHistory(db, event, {
          alarmName: d.alarmName,
          timestamp: at(d.at),
          type: "Action",
          summary: ok
            ? `Successfully executed action ${d.actionArn}`
            : `Failed to execute action ${d.actionArn}. Received error: "${d.detail ?? d.outcome}"`,
          data: JSON.stringify({
            actionState: ok ? "Succeeded" : "Failed",
            stateUpdateTimestamp: row ? row.state_updated_at.getTime() : Math.round(d.at * 1000),
            notificationResource: d.actionArn,
            publishedMessage: d.detail ?? null,
          }),
        });
        return;
      }
    }
  },
};
