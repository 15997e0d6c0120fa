import type { RecordedEvent } from "../../eventstore/index.js";
import type {
  AlarmActionInvoked,
  AlarmActionsEnabled,
  AlarmConfiguration,
  AlarmDeleted,
  AlarmPut,
  AlarmStateChanged,
} from "../../events/index.js";
import {
  historyAlarm,
  INITIAL_STATE_REASON,
  originalUpdatedFields,
  sortedDimensions,
  stateJson,
} from "../alarmProjection.js";
import { at, DuplicateKeyError, type FoldState, type ProjectionFold } from "./foldState.js";
import { asJsonb } from "./jsonb.js";

const addHistory = (
  state: FoldState,
  event: RecordedEvent,
  row: {
    alarmName: string;
    timestamp: Date;
    type: "ConfigurationUpdate" | "StateUpdate" | "Action";
    summary: string;
    data: string;
  },
): void => {
  state.alarm_history.push({
    position: event.position,
    alarm_name: row.alarmName,
    alarm_type: "MetricAlarm",
    timestamp: row.timestamp,
    history_item_type: row.type,
    history_summary: row.summary,
    history_data: row.data,
  });
};

const touch = (state: FoldState, name: string, event: RecordedEvent): void => {
  const row = state.alarms.get(name);
  if (!row) return;
  row.version = event.streamVersion;
  row.last_position = event.position;
};

/** alarmProjection in memory: alarms and alarm_history. */
export const alarmFold: ProjectionFold = {
  tables: ["alarms", "alarm_history"],
  fold(state, event) {
    switch (event.type) {
      case "AlarmPut": {
        const d = event.data as AlarmPut;
        const when = at(d.at);
        const c = d.configuration;
        const existing = state.alarms.get(d.alarmName);
        const before = d.created ? undefined : existing;
        if (!before && existing) throw new DuplicateKeyError("alarms", d.alarmName);
        const columns = {
          alarm_name: d.alarmName,
          alarm_arn: d.alarmArn,
          namespace: c.Namespace,
          metric_name: c.MetricName,
          dimensions: JSON.stringify(sortedDimensions(c)),
          period: c.Period,
          configuration: asJsonb(c) as unknown as Record<string, unknown>,
          managed_by: d.managedBy ?? null,
          actions_enabled: c.ActionsEnabled,
          configuration_updated_at: when,
          version: event.streamVersion,
          last_position: event.position,
        };
        const after = before
          ? { ...before, ...columns }
          : {
              ...columns,
              state_value: "INSUFFICIENT_DATA",
              state_reason: INITIAL_STATE_REASON,
              state_reason_data: null,
              state_updated_at: when,
              state_transitioned_at: when,
            };
        state.alarms.set(d.alarmName, after);
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
        addHistory(state, event, {
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
        const before = state.alarms.get(d.alarmName);
        state.alarms.delete(d.alarmName);
        addHistory(state, event, {
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
        const before = state.alarms.get(d.alarmName);
        if (!before) return;
        const when = at(d.at);
        const old = {
          value: before.state_value,
          reason: before.state_reason,
          data: before.state_reason_data,
        };
        before.state_value = d.newState;
        before.state_reason = d.stateReason;
        before.state_reason_data = d.stateReasonData ?? null;
        before.state_updated_at = when;
        if (d.newState !== old.value) before.state_transitioned_at = when;
        before.version = event.streamVersion;
        before.last_position = event.position;
        addHistory(state, event, {
          alarmName: d.alarmName,
          timestamp: when,
          type: "StateUpdate",
          summary: `Alarm updated from ${d.oldState} to ${d.newState}`,
          data:
            `{"version":"1.0","oldState":${stateJson(old.value, old.reason, old.data)},` +
            `"newState":${stateJson(d.newState, d.stateReason, d.stateReasonData)}}`,
        });
        return;
      }
      case "AlarmActionsEnabled":
      case "AlarmActionsDisabled": {
        const d = event.data as AlarmActionsEnabled;
        const enabled = event.type === "AlarmActionsEnabled";
        const row = state.alarms.get(d.alarmName);
        if (!row) return;
        const wasEnabled = row.actions_enabled;
        const when = at(d.at);
        row.actions_enabled = enabled;
        row.configuration = asJsonb({ ...row.configuration, ActionsEnabled: enabled });
        row.configuration_updated_at = when;
        row.version = event.streamVersion;
        row.last_position = event.position;
        addHistory(state, event, {
          alarmName: d.alarmName,
          timestamp: when,
          type: "ConfigurationUpdate",
          summary: `Alarm "${d.alarmName}" updated`,
          data: JSON.stringify({
            version: "1.0",
            type: "Update",
            updatedAlarm: historyAlarm(row),
            originalUpdatedFields: { actionsEnabled: wasEnabled },
          }),
        });
        return;
      }
      case "AlarmActionsDue":
        touch(state, (event.data as { alarmName: string }).alarmName, event);
        return;
      case "AlarmActionInvoked": {
        const d = event.data as AlarmActionInvoked;
        const row = state.alarms.get(d.alarmName);
        if (row) touch(state, d.alarmName, event);
        const ok = d.outcome === "Succeeded";
        addHistory(state, event, {
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
