-- Instance-based capacity providers, written with their events
-- (shared/projections/capacityProviderProjection.ts). FARGATE and FARGATE_SPOT always exist and
-- have no row: every reader treats them as present and ACTIVE.
CREATE TABLE capacity_providers (
  name                        text PRIMARY KEY,
  capacity_provider_arn       text NOT NULL UNIQUE,
  -- ACTIVE, or INACTIVE once deleted (the row stays describable by name; the name may be reused).
  status                      text NOT NULL,
  -- NULL only for FARGATE / FARGATE_SPOT, which have no row here.
  auto_scaling_group_arn      text,
  auto_scaling_group_provider jsonb,
  -- ECS's updateStatus / updateStatusReason of the last update or delete.
  update_status               text,
  update_status_reason        text,
  created_at                  timestamptz NOT NULL,
  updated_at                  timestamptz NOT NULL,
  last_position               bigint NOT NULL
);

-- DescribeClusters counts a cluster's live tasks by launch type at read time (FARGATE tasks run
-- on a managed pool's instances, so the cluster's own instances cannot count them).
CREATE INDEX tasks_cluster_live ON tasks (cluster_name, launch_type, last_status)
  WHERE last_status IN ('PROVISIONING', 'PENDING', 'ACTIVATING', 'RUNNING');
