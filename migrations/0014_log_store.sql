-- CloudWatch Logs' store (docs/logs.md). Log lines are telemetry, not events: the agents'
-- container output and PutLogEvents are written here directly (never to the event log) and
-- are not rebuilt from it.

-- One row per log group; `retention_days` null keeps its events forever.
CREATE TABLE log_groups (
  log_group_name  text PRIMARY KEY,
  -- Milliseconds since the epoch, as CloudWatch Logs reports every time.
  creation_time   bigint NOT NULL,
  retention_days  integer
);

-- One row per log stream. `source_cursor` is the shipping agent's cursor: the source
-- timestamp (nanoseconds since the epoch, as the container engine stamped the line) of the
-- newest line stored, so a restarted agent resumes after it and never stores a line twice.
CREATE TABLE log_streams (
  stream_id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  log_group_name       text NOT NULL REFERENCES log_groups ON DELETE CASCADE,
  log_stream_name      text NOT NULL,
  creation_time        bigint NOT NULL,
  first_event_time     bigint,
  last_event_time      bigint,
  last_ingestion_time  bigint,
  stored_bytes         bigint NOT NULL DEFAULT 0,
  source_cursor        numeric(20, 0),
  UNIQUE (log_group_name, log_stream_name)
);
CREATE INDEX log_streams_last_event ON log_streams (log_group_name, last_event_time);

-- The events, by time: one leaf partition per UTC day of event time (`event_time`, ms),
-- created on demand (shared/logs/store/ensureLogPartition.ts) and dropped whole by the
-- retention loop once every group's retention has passed it. `seq` orders events of equal
-- time and is the event's id. Ingest only appends; no foreign key, so a deleted group's
-- rows go with a DELETE by stream id and partition drops.
CREATE SEQUENCE log_event_seq;
CREATE TABLE log_events (
  stream_id       bigint NOT NULL,
  event_time      bigint NOT NULL,
  seq             bigint NOT NULL,
  ingestion_time  bigint NOT NULL,
  message         text NOT NULL
) PARTITION BY RANGE (event_time);

CREATE INDEX log_events_stream_time ON log_events (stream_id, event_time, seq);
