-- Read models of ELBv2-shaped load balancing, written with their events.
CREATE TABLE target_groups (
  target_group_arn    text PRIMARY KEY,
  target_group_name   text NOT NULL,
  protocol            text NOT NULL,
  port                integer NOT NULL,
  target_type         text NOT NULL,
  health_check        jsonb NOT NULL,
  deregistration_delay_seconds integer NOT NULL,
  created_at          timestamptz NOT NULL,
  version             bigint NOT NULL,
  last_position       bigint NOT NULL
);
CREATE UNIQUE INDEX target_groups_name ON target_groups (target_group_name);

-- Every registered target until it has drained: state initial | healthy | unhealthy | draining.
CREATE TABLE targets (
  target_group_arn    text NOT NULL,
  target_id           text NOT NULL,
  port                integer NOT NULL,
  task_arn            text,
  state               text NOT NULL,
  reason              text,
  description         text,
  registered_at       timestamptz NOT NULL,
  -- When DeregisterTargets began its draining (null while registered).
  deregistered_at     timestamptz,
  PRIMARY KEY (target_group_arn, target_id, port)
);
CREATE INDEX targets_task ON targets (task_arn);

CREATE TABLE load_balancers (
  load_balancer_arn   text PRIMARY KEY,
  load_balancer_name  text NOT NULL,
  dns_name            text NOT NULL,
  scheme              text NOT NULL,
  type                text NOT NULL,
  created_at          timestamptz NOT NULL,
  version             bigint NOT NULL,
  last_position       bigint NOT NULL
);
CREATE UNIQUE INDEX load_balancers_name ON load_balancers (load_balancer_name);

CREATE TABLE listeners (
  listener_arn        text PRIMARY KEY,
  load_balancer_arn   text NOT NULL,
  protocol            text NOT NULL,
  port                integer NOT NULL,
  default_target_group_arn text NOT NULL,
  created_at          timestamptz NOT NULL
);
CREATE UNIQUE INDEX listeners_port ON listeners (port);
CREATE INDEX listeners_target_group ON listeners (default_target_group_arn);
