-- Read model of task definitions: one row per revision.
CREATE TABLE task_definitions (
  family          text NOT NULL,
  revision        integer NOT NULL,
  task_definition_arn text NOT NULL UNIQUE,
  status          text NOT NULL,
  definition      jsonb NOT NULL,
  registered_at   timestamptz NOT NULL,
  deregistered_at timestamptz,
  last_position   bigint NOT NULL,
  PRIMARY KEY (family, revision)
);
CREATE INDEX task_definitions_status_family ON task_definitions (status, family, revision);
