-- The event log: the single source of truth. Append-only.
CREATE TABLE streams (
  stream_id   text PRIMARY KEY,
  version     bigint NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE events (
  -- global position: assigned at insert, so commit order may differ (see transaction_id)
  position        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  event_id        uuid NOT NULL UNIQUE,
  stream_id       text NOT NULL,
  stream_version  bigint NOT NULL,
  type            text NOT NULL,
  schema_version  integer NOT NULL,
  data            jsonb NOT NULL,
  metadata        jsonb NOT NULL,
  recorded_at     timestamptz NOT NULL DEFAULT now(),
  -- the writing transaction; readers of the whole log order by (transaction_id, position)
  -- and stop below pg_snapshot_xmin so an event that commits late is never skipped
  transaction_id  xid8 NOT NULL DEFAULT pg_current_xact_id(),
  CONSTRAINT events_stream_version_unique UNIQUE (stream_id, stream_version)
);

CREATE INDEX events_log_order ON events (transaction_id, position);
CREATE INDEX events_type ON events (type);

-- Followers of the log (relay, async projections) keep their checkpoint here.
CREATE TABLE checkpoints (
  name            text PRIMARY KEY,
  transaction_id  xid8 NOT NULL,
  position        bigint NOT NULL,
  updated_at      timestamptz NOT NULL DEFAULT now()
);
