-- Read models of container instances and tasks, written with their events.
CREATE TABLE container_instances (
  container_instance_arn text PRIMARY KEY,
  cluster_name        text NOT NULL,
  ec2_instance_id     text NOT NULL,
  availability_zone   text,
  status              text NOT NULL,
  agent_connected     boolean NOT NULL,
  registered_resources jsonb NOT NULL,
  attributes          jsonb NOT NULL,
  version_info        jsonb NOT NULL,
  running_tasks_count integer NOT NULL DEFAULT 0,
  pending_tasks_count integer NOT NULL DEFAULT 0,
  registered_at       timestamptz NOT NULL,
  updated_at          timestamptz NOT NULL,
  version             bigint NOT NULL,
  last_position       bigint NOT NULL
);
CREATE INDEX container_instances_cluster ON container_instances (cluster_name, status, container_instance_arn);
CREATE INDEX container_instances_agent ON container_instances (ec2_instance_id);

-- What each task placed on an instance reserves there, until it stops.
CREATE TABLE task_reservations (
  container_instance_arn text NOT NULL,
  task_arn   text NOT NULL,
  cpu        integer NOT NULL,
  memory     integer NOT NULL,
  tcp_ports  jsonb NOT NULL,
  udp_ports  jsonb NOT NULL,
  PRIMARY KEY (container_instance_arn, task_arn)
);

CREATE TABLE tasks (
  task_arn            text PRIMARY KEY,
  cluster_name        text NOT NULL,
  task_definition_arn text NOT NULL,
  family              text NOT NULL,
  container_instance_arn text NOT NULL,
  availability_zone   text,
  launch_type         text NOT NULL,
  task_group          text NOT NULL,
  started_by          text,
  overrides           jsonb NOT NULL,
  cpu                 text NOT NULL,
  memory              text NOT NULL,
  containers          jsonb NOT NULL,
  last_status         text NOT NULL,
  desired_status      text NOT NULL,
  health_status       text NOT NULL,
  stop_code           text,
  stopped_reason      text,
  created_at          timestamptz NOT NULL,
  pull_started_at     timestamptz,
  pull_stopped_at     timestamptz,
  started_at          timestamptz,
  stopping_at         timestamptz,
  execution_stopped_at timestamptz,
  stopped_at          timestamptz,
  version             bigint NOT NULL,
  last_position       bigint NOT NULL
);
CREATE INDEX tasks_cluster ON tasks (cluster_name, desired_status, task_arn);
CREATE INDEX tasks_instance ON tasks (container_instance_arn, last_status);
CREATE INDEX tasks_family ON tasks (cluster_name, family);
CREATE INDEX tasks_started_by ON tasks (cluster_name, started_by);
