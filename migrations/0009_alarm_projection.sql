-- CloudWatch metric alarms, written with their events (shared/projections/alarmProjection.ts).
CREATE TABLE alarms (
  alarm_name                 text PRIMARY KEY,
  alarm_arn                  text NOT NULL,
  namespace                  text NOT NULL,
  metric_name                text NOT NULL,
  -- [{"Name":…,"Value":…}] sorted by name, for DescribeAlarmsForMetric.
  dimensions                 jsonb NOT NULL,
  period                     integer NOT NULL,
  -- The whole configuration in PutMetricAlarm's field names, defaults applied.
  configuration              jsonb NOT NULL,
  managed_by                 text,
  actions_enabled            boolean NOT NULL,
  state_value                text NOT NULL,
  state_reason               text NOT NULL,
  state_reason_data          text,
  state_updated_at           timestamptz NOT NULL,
  state_transitioned_at      timestamptz NOT NULL,
  configuration_updated_at   timestamptz NOT NULL,
  version                    bigint NOT NULL,
  last_position              bigint NOT NULL
);
CREATE INDEX alarms_metric ON alarms (namespace, metric_name);
CREATE INDEX alarms_state ON alarms (state_value);

-- DescribeAlarmHistory: one row per ConfigurationUpdate, StateUpdate or Action (kept after
-- the alarm is deleted, as CloudWatch keeps it).
CREATE TABLE alarm_history (
  position            bigint PRIMARY KEY,
  alarm_name          text NOT NULL,
  alarm_type          text NOT NULL,
  "timestamp"         timestamptz NOT NULL,
  history_item_type   text NOT NULL,
  history_summary     text NOT NULL,
  history_data        text NOT NULL
);
CREATE INDEX alarm_history_alarm ON alarm_history (alarm_name, "timestamp");
CREATE INDEX alarm_history_time ON alarm_history ("timestamp");
