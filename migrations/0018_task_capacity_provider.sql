-- The capacity provider a task was placed through (RunTask / CreateService with a
-- capacityProviderStrategy, or a cluster's default strategy): DescribeTasks reports it as
-- `capacityProviderName`. Null for a task launched by launch type (and for every task
-- created before capacity providers were honoured). A rebuild fills it from TaskCreated.
ALTER TABLE tasks ADD COLUMN capacity_provider_name text;
