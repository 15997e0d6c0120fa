-- Services through capacity providers (docs/capacity-providers.md): a service runs either
-- with a launch type (EC2, FARGATE) or through a capacity provider strategy, never both, as
-- in ECS. `launch_type` is null for a service with a strategy; `capacity_provider_strategy`
-- is the resolved strategy (the request's, or the cluster's default at creation), `[]` for
-- a service with a launch type.
ALTER TABLE services ALTER COLUMN launch_type DROP NOT NULL;
ALTER TABLE services ADD COLUMN capacity_provider_strategy jsonb NOT NULL DEFAULT '[]';
