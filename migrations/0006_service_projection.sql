-- Read model of services, written in the same transaction as their events.
CREATE TABLE services (
  service_arn         text PRIMARY KEY,
  cluster_name        text NOT NULL,
  service_name        text NOT NULL,
  status              text NOT NULL,
  desired_count       integer NOT NULL,
  task_definition_arn text NOT NULL,
  launch_type         text NOT NULL,
  scheduling_strategy text NOT NULL,
  deployment_configuration jsonb NOT NULL,
  placement_constraints jsonb NOT NULL,
  placement_strategy  jsonb NOT NULL,
  health_check_grace_period_seconds integer,
  load_balancers      jsonb NOT NULL,
  -- ECS Deployment objects without their live task counts (the API counts those from tasks).
  deployments         jsonb NOT NULL,
  propagate_tags      text,
  enable_ecs_managed_tags boolean NOT NULL,
  created_at          timestamptz NOT NULL,
  created_by          text NOT NULL,
  version             bigint NOT NULL,
  last_position       bigint NOT NULL
);
CREATE INDEX services_name ON services (cluster_name, service_name);
CREATE INDEX services_cluster ON services (cluster_name, status, service_arn);

-- The last 100 service event messages per service; ids derive from the event id.
CREATE TABLE service_events (
  id          uuid PRIMARY KEY,
  service_arn text NOT NULL,
  position    bigint NOT NULL,
  seq         integer NOT NULL,
  created_at  timestamptz NOT NULL,
  message     text NOT NULL
);
CREATE INDEX service_events_service ON service_events (service_arn, position DESC, seq DESC);

-- A service's live task counts.
CREATE INDEX tasks_group ON tasks (cluster_name, task_group, desired_status);
