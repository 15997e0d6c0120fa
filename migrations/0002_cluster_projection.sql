-- Read model of clusters, written in the same transaction as the events.
CREATE TABLE clusters (
  cluster_name  text PRIMARY KEY,
  cluster_arn   text NOT NULL UNIQUE,
  status        text NOT NULL,
  settings      jsonb NOT NULL,
  configuration jsonb,
  capacity_providers jsonb NOT NULL,
  default_capacity_provider_strategy jsonb NOT NULL,
  service_connect_defaults jsonb,
  registered_container_instances_count integer NOT NULL DEFAULT 0,
  running_tasks_count   integer NOT NULL DEFAULT 0,
  pending_tasks_count   integer NOT NULL DEFAULT 0,
  active_services_count integer NOT NULL DEFAULT 0,
  created_at    timestamptz NOT NULL,
  updated_at    timestamptz NOT NULL,
  last_position bigint NOT NULL
);
CREATE INDEX clusters_status ON clusters (status, cluster_arn);
