-- Read models of Application Auto Scaling (ECS services' desired count), written with their events.
CREATE TABLE scalable_targets (
  resource_id         text PRIMARY KEY,
  cluster_name        text NOT NULL,
  service_name        text NOT NULL,
  service_namespace   text NOT NULL,
  scalable_dimension  text NOT NULL,
  scalable_target_arn text NOT NULL,
  min_capacity        integer NOT NULL,
  max_capacity        integer NOT NULL,
  -- As the request gave it; null means the service-linked role.
  role_arn            text,
  suspended_state     jsonb NOT NULL,
  created_at          timestamptz NOT NULL,
  version             bigint NOT NULL,
  last_position       bigint NOT NULL
);

CREATE TABLE scaling_policies (
  policy_arn          text PRIMARY KEY,
  resource_id         text NOT NULL,
  policy_name         text NOT NULL,
  policy_type         text NOT NULL,
  step_configuration  jsonb,
  target_tracking_configuration jsonb,
  -- The alarms the policy owns: [{AlarmName, AlarmARN}].
  alarms              jsonb NOT NULL,
  created_at          timestamptz NOT NULL
);
CREATE UNIQUE INDEX scaling_policies_name ON scaling_policies (resource_id, policy_name);

-- Every scaling activity and every decision not to scale (not_scaled_reasons set), kept after
-- the target is deregistered, as Application Auto Scaling keeps them.
CREATE TABLE scaling_activities (
  activity_id         text PRIMARY KEY,
  resource_id         text NOT NULL,
  cluster_name        text NOT NULL,
  policy_name         text,
  description         text NOT NULL,
  cause               text NOT NULL,
  status_code         text NOT NULL,
  status_message      text,
  details             text,
  not_scaled_reasons  jsonb,
  start_time          timestamptz NOT NULL,
  end_time            timestamptz,
  position            bigint NOT NULL
);
CREATE INDEX scaling_activities_resource ON scaling_activities (resource_id, position DESC);
CREATE INDEX scaling_activities_position ON scaling_activities (position DESC);
