-- Task counts are taken when they are read, not kept in the rows they describe
-- (docs/performance.md, "Cluster at scale").
--
-- A container instance's runningTasksCount and pendingTasksCount were recounted
-- into its row by every task event of the instance, in the event's append
-- transaction. That row lock made every agent report wait for the scheduler's
-- service step, which holds the rows of the instances it places on until it
-- commits. DescribeContainerInstances and ListContainerInstances' filter now
-- count the instance's tasks through the index tasks_instance
-- (container_instance_arn, last_status), as DescribeClusters already did for the
-- cluster's counts, whose columns stopped being written then and stayed 0.
ALTER TABLE container_instances
  DROP COLUMN running_tasks_count,
  DROP COLUMN pending_tasks_count;

ALTER TABLE clusters
  DROP COLUMN registered_container_instances_count,
  DROP COLUMN running_tasks_count,
  DROP COLUMN pending_tasks_count,
  DROP COLUMN active_services_count;
