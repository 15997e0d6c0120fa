-- A task's attachments as ECS reports them (docs/fargate.md, "Task networking"): for an
-- awsvpc task, the ENI the agent reports for its network namespace and address. The latest
-- reported list; rebuilt from TaskStateChanged events with the rest of the task projection.
ALTER TABLE tasks ADD COLUMN attachments jsonb NOT NULL DEFAULT '[]';
