-- CloudWatch's metric store. Metrics are telemetry, not events: they are written here
-- directly (never to the event log) and are not rebuilt from it.

-- One row per metric: namespace, name and exact dimension set. `dimensions` is the
-- canonical form, [{"name":…,"value":…}] sorted by name, so equal sets are equal jsonb.
CREATE TABLE metric_series (
  series_id     bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  namespace     text NOT NULL,
  metric_name   text NOT NULL,
  dimensions    jsonb NOT NULL,
  created_at    timestamptz NOT NULL,
  -- The newest time data arrived for the metric (ListMetrics' RecentlyActive).
  last_seen     timestamptz NOT NULL
);
-- md5 keeps the key small: 30 dimensions of 1 KiB values would not fit a btree entry.
CREATE UNIQUE INDEX metric_series_key
  ON metric_series (namespace, metric_name, md5(dimensions::text));
CREATE INDEX metric_series_dimensions ON metric_series USING gin (dimensions jsonb_path_ops);
CREATE INDEX metric_series_last_seen ON metric_series (last_seen);

-- Datapoints, by granularity (1 s, 60 s, 300 s, 3600 s) and then by time. Each leaf
-- partition holds one time range of one granularity (shared/metrics/tiers.ts) and is
-- created ahead of or on demand, and dropped whole once its granularity's retention is
-- over and its rows have been rolled up into the next one. Ingest only appends.
-- A row is one PutMetricData datum (or one roll-up of many): its samples' count, sum,
-- min and max, and their value distribution (`vals` with `counts`; null when the samples
-- came as a statistic set, which has no percentiles).
CREATE TABLE metric_datapoints (
  series_id          bigint NOT NULL,
  granularity        integer NOT NULL,
  ts                 timestamptz NOT NULL,
  storage_resolution smallint NOT NULL,
  unit               text NOT NULL,
  sample_count       double precision NOT NULL,
  sum                double precision NOT NULL,
  min                double precision NOT NULL,
  max                double precision NOT NULL,
  vals               double precision[],
  counts             double precision[]
) PARTITION BY LIST (granularity);

CREATE TABLE metric_datapoints_1 PARTITION OF metric_datapoints
  FOR VALUES IN (1) PARTITION BY RANGE (ts);
CREATE TABLE metric_datapoints_60 PARTITION OF metric_datapoints
  FOR VALUES IN (60) PARTITION BY RANGE (ts);
CREATE TABLE metric_datapoints_300 PARTITION OF metric_datapoints
  FOR VALUES IN (300) PARTITION BY RANGE (ts);
CREATE TABLE metric_datapoints_3600 PARTITION OF metric_datapoints
  FOR VALUES IN (3600) PARTITION BY RANGE (ts);

CREATE INDEX metric_datapoints_series_ts ON metric_datapoints (series_id, ts);

-- Per granularity that rolls up into the next: every row before `rolled_until` has been
-- rolled up, so readers skip those rows (they wait only for their partition's drop).
CREATE TABLE metric_rollups (
  granularity   integer PRIMARY KEY,
  rolled_until  timestamptz NOT NULL
);
INSERT INTO metric_rollups (granularity, rolled_until)
  VALUES (1, '-infinity'), (60, '-infinity'), (300, '-infinity');
