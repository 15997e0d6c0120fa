import type { ColumnType, Generated, JSONColumnType } from "kysely";

/** Kysely's view of the tables created by migrations/. */
export interface Database {
  streams: StreamsTable;
  events: EventsTable;
  checkpoints: CheckpointsTable;
  clusters: ClustersTable;
  task_definitions: TaskDefinitionsTable;
  resource_tags: ResourceTagsTable;
  container_instances: ContainerInstancesTable;
  task_reservations: TaskReservationsTable;
  tasks: TasksTable;
  services: ServicesTable;
  service_events: ServiceEventsTable;
  target_groups: TargetGroupsTable;
  targets: TargetsTable;
  load_balancers: LoadBalancersTable;
  listeners: ListenersTable;
  scalable_targets: ScalableTargetsTable;
  scaling_policies: ScalingPoliciesTable;
  scaling_activities: ScalingActivitiesTable;
  alarms: AlarmsTable;
  alarm_history: AlarmHistoryTable;
  audit_digests: AuditDigestsTable;
  audit_signing_keys: AuditSigningKeysTable;
  webhook_subscriptions: WebhookSubscriptionsTable;
  webhook_secrets: WebhookSecretsTable;
  webhook_delivery_state: WebhookDeliveryStateTable;
  webhook_deliveries: WebhookDeliveriesTable;
  secrets: SecretsTable;
  capacity_providers: CapacityProvidersTable;
}

/** bigint columns arrive as strings unless parsed; we parse int8 to number (see createDb). */
type BigInt = ColumnType<number, number | string, number | string>;
type Xid8 = ColumnType<string, string | undefined, string>;
type Timestamp = ColumnType<Date, Date | string, Date | string>;

export interface StreamsTable {
  stream_id: string;
  version: BigInt;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
  /** The stream's last event hash (migration 0012); null before its first hashed event. */
  last_hash: ColumnType<Buffer | null, Buffer | null | undefined, Buffer | null>;
}

export interface EventsTable {
  position: Generated<number>;
  event_id: string;
  stream_id: string;
  stream_version: BigInt;
  type: string;
  schema_version: number;
  data: JSONColumnType<Record<string, unknown>, string, string>;
  metadata: JSONColumnType<Record<string, unknown>, string, string>;
  recorded_at: ColumnType<Date, Date | string | undefined, never>;
  transaction_id: ColumnType<string, never, never>;
  /** The stream's hash chain (migration 0012); null on rows written before it. */
  event_hash: ColumnType<Buffer | null, Buffer | undefined, never>;
}

/** Signed digests of the global log (migration 0012, docs/audit.md). */
export interface AuditDigestsTable {
  sequence: BigInt;
  after_transaction_id: Xid8;
  after_position: BigInt;
  last_transaction_id: Xid8;
  last_position: BigInt;
  event_count: BigInt;
  events_hash: string;
  previous_digest_hash: string;
  created_at: string;
  key_id: string;
  digest_hash: string;
  signature: string;
  entries: string;
}

export interface AuditSigningKeysTable {
  key_id: string;
  public_key_pem: string;
  private_key_pem: string | null;
  development: Generated<boolean>;
  created_at: Generated<Date>;
}

export interface CheckpointsTable {
  name: string;
  transaction_id: Xid8;
  position: BigInt;
  updated_at: Generated<Date>;
}

type Json<T> = ColumnType<T, string, string>;

export interface ClustersTable {
  cluster_name: string;
  cluster_arn: string;
  status: string;
  settings: Json<unknown[]>;
  configuration: Json<unknown> | null;
  capacity_providers: Json<string[]>;
  default_capacity_provider_strategy: Json<unknown[]>;
  service_connect_defaults: Json<unknown> | null;
  created_at: Timestamp;
  updated_at: Timestamp;
  last_position: BigInt;
}

export interface TaskDefinitionsTable {
  family: string;
  revision: number;
  task_definition_arn: string;
  status: string;
  definition: Json<Record<string, unknown>>;
  registered_at: Timestamp;
  deregistered_at: Timestamp | null;
  last_position: BigInt;
}

export interface ResourceTagsTable {
  resource_arn: string;
  key: string;
  value: string;
}

export interface ContainerInstancesTable {
  container_instance_arn: string;
  cluster_name: string;
  ec2_instance_id: string;
  availability_zone: string | null;
  status: string;
  agent_connected: boolean;
  registered_resources: Json<unknown[]>;
  attributes: Json<{ name: string; value?: string }[]>;
  version_info: Json<Record<string, string>>;
  registered_at: Timestamp;
  updated_at: Timestamp;
  version: BigInt;
  last_position: BigInt;
}

export interface TaskReservationsTable {
  container_instance_arn: string;
  task_arn: string;
  cpu: number;
  memory: number;
  tcp_ports: Json<number[]>;
  udp_ports: Json<number[]>;
}

export interface TasksTable {
  task_arn: string;
  cluster_name: string;
  task_definition_arn: string;
  family: string;
  container_instance_arn: string;
  availability_zone: string | null;
  launch_type: string;
  capacity_provider_name: string | null;
  task_group: string;
  started_by: string | null;
  overrides: Json<Record<string, unknown>>;
  cpu: string;
  memory: string;
  containers: Json<Record<string, unknown>[]>;
  /** ECS's attachments (migration 0016): the awsvpc task's ENI. */
  attachments: ColumnType<Record<string, unknown>[], string | undefined, string>;
  last_status: string;
  desired_status: string;
  health_status: string;
  stop_code: string | null;
  stopped_reason: string | null;
  created_at: Timestamp;
  pull_started_at: Timestamp | null;
  pull_stopped_at: Timestamp | null;
  started_at: Timestamp | null;
  stopping_at: Timestamp | null;
  execution_stopped_at: Timestamp | null;
  stopped_at: Timestamp | null;
  version: BigInt;
  last_position: BigInt;
}

/** One deployment of a service as the projection stores it (ECS's Deployment minus live counts). */
export interface StoredDeployment {
  id: string;
  status: "PRIMARY" | "ACTIVE";
  taskDefinition: string;
  desiredCount: number;
  rolloutState: "IN_PROGRESS" | "COMPLETED" | "FAILED";
  rolloutStateReason: string;
  failedTasks: number;
  /** Epoch seconds. */
  createdAt: number;
  /** Epoch seconds. */
  updatedAt: number;
  /** Absent for a deployment through a capacity provider strategy. */
  launchType?: string;
  capacityProviderStrategy?: { capacityProvider: string; weight?: number; base?: number }[];
}

export interface ServicesTable {
  service_arn: string;
  cluster_name: string;
  service_name: string;
  status: string;
  desired_count: number;
  task_definition_arn: string;
  /** Null for a service with a capacity provider strategy (migration 0019). */
  launch_type: string | null;
  capacity_provider_strategy: ColumnType<
    { capacityProvider: string; weight?: number; base?: number }[],
    string | undefined,
    string
  >;
  scheduling_strategy: string;
  deployment_configuration: Json<Record<string, unknown>>;
  placement_constraints: Json<{ type: string; expression?: string }[]>;
  placement_strategy: Json<{ type: string; field?: string }[]>;
  health_check_grace_period_seconds: number | null;
  load_balancers: Json<Record<string, unknown>[]>;
  deployments: Json<StoredDeployment[]>;
  propagate_tags: string | null;
  enable_ecs_managed_tags: boolean;
  created_at: Timestamp;
  created_by: string;
  version: BigInt;
  last_position: BigInt;
}

export interface ServiceEventsTable {
  id: string;
  service_arn: string;
  position: BigInt;
  seq: number;
  created_at: Timestamp;
  message: string;
}

/** An ELBv2 target group (migrations/0007). */
export interface TargetGroupsTable {
  target_group_arn: string;
  target_group_name: string;
  protocol: string;
  port: number;
  target_type: string;
  health_check: JSONColumnType<
    {
      protocol: string;
      path: string;
      port: string;
      intervalSeconds: number;
      timeoutSeconds: number;
      healthyThresholdCount: number;
      unhealthyThresholdCount: number;
      matcher: string;
    },
    string,
    string
  >;
  deregistration_delay_seconds: number;
  created_at: Timestamp;
  version: BigInt;
  last_position: BigInt;
}

/** A registered target until it has drained; state initial | healthy | unhealthy | draining. */
export interface TargetsTable {
  target_group_arn: string;
  target_id: string;
  port: number;
  task_arn: string | null;
  state: string;
  reason: string | null;
  description: string | null;
  registered_at: Timestamp;
  deregistered_at: Timestamp | null;
}

export interface LoadBalancersTable {
  load_balancer_arn: string;
  load_balancer_name: string;
  dns_name: string;
  scheme: string;
  type: string;
  created_at: Timestamp;
  version: BigInt;
  last_position: BigInt;
}

export interface ListenersTable {
  listener_arn: string;
  load_balancer_arn: string;
  protocol: string;
  port: number;
  default_target_group_arn: string;
  created_at: Timestamp;
}

/** CloudWatch metric alarms (migrations/0009_alarm_projection.sql). */
export interface AlarmsTable {
  alarm_name: string;
  alarm_arn: string;
  namespace: string;
  metric_name: string;
  dimensions: Json<{ Name: string; Value: string }[]>;
  period: number;
  configuration: Json<Record<string, unknown>>;
  managed_by: string | null;
  actions_enabled: boolean;
  state_value: string;
  state_reason: string;
  state_reason_data: string | null;
  state_updated_at: Timestamp;
  state_transitioned_at: Timestamp;
  configuration_updated_at: Timestamp;
  version: BigInt;
  last_position: BigInt;
}

export interface AlarmHistoryTable {
  position: BigInt;
  alarm_name: string;
  alarm_type: string;
  timestamp: Timestamp;
  history_item_type: string;
  history_summary: string;
  history_data: string;
}

/** Application Auto Scaling's scalable targets (migrations/0010_scaling_projection.sql). */
export interface ScalableTargetsTable {
  resource_id: string;
  cluster_name: string;
  service_name: string;
  service_namespace: string;
  scalable_dimension: string;
  scalable_target_arn: string;
  min_capacity: number;
  max_capacity: number;
  role_arn: string | null;
  suspended_state: Json<Record<string, boolean>>;
  created_at: Timestamp;
  version: BigInt;
  last_position: BigInt;
}

export interface ScalingPoliciesTable {
  policy_arn: string;
  resource_id: string;
  policy_name: string;
  policy_type: string;
  step_configuration: Json<Record<string, unknown>> | null;
  target_tracking_configuration: Json<Record<string, unknown>> | null;
  alarms: Json<{ AlarmName: string; AlarmARN: string }[]>;
  created_at: Timestamp;
}

export interface ScalingActivitiesTable {
  activity_id: string;
  resource_id: string;
  cluster_name: string;
  policy_name: string | null;
  description: string;
  cause: string;
  status_code: string;
  status_message: string | null;
  details: string | null;
  not_scaled_reasons: Json<Record<string, unknown>[]> | null;
  start_time: Timestamp;
  end_time: Timestamp | null;
  position: BigInt;
}

/** Webhook subscriptions, their secrets, progress and delivery log (migrations/0013_webhooks.sql). */
export interface WebhookSubscriptionsTable {
  name: string;
  subscription_id: string;
  target_url: string;
  subject_filter: string;
  description: string | null;
  status: string;
  status_reason: string | null;
  secret_sha256: string;
  created_at: Timestamp;
  updated_at: Timestamp;
  start_transaction_id: Xid8;
  start_position: BigInt;
  version: BigInt;
  last_position: BigInt;
}

export interface WebhookSecretsTable {
  subscription_id: string;
  secret: string;
  created_at: Generated<Date>;
}

export interface WebhookDeliveryStateTable {
  subscription_id: string;
  transaction_id: Xid8;
  position: BigInt;
  delivered_in_event: Generated<number>;
  consecutive_failures: Generated<number>;
  next_attempt_at: Timestamp | null;
  updated_at: Generated<Date>;
}

export interface WebhookDeliveriesTable {
  id: Generated<number>;
  subscription_id: string;
  subscription_name: string;
  event_id: string;
  event_type: string;
  subject: string;
  attempt: number;
  succeeded: boolean;
  status_code: number | null;
  error: string | null;
  duration_ms: number;
  attempted_at: Timestamp;
  next_retry_at: Timestamp | null;
}

/** The secret store (migrations/0015_secret_store.sql, docs/secrets.md): values encrypted. */
export interface SecretsTable {
  name: string;
  arn: string;
  description: string | null;
  kms_key_id: string | null;
  version_id: string | null;
  value_kind: "string" | "binary" | null;
  value_iv: Buffer | null;
  value_ciphertext: Buffer | null;
  value_tag: Buffer | null;
  tags: Json<{ Key: string; Value: string }[]>;
  created_date: BigInt;
  last_changed_date: BigInt;
  last_accessed_date: BigInt | null;
  deleted_date: BigInt | null;
}

/** Instance-based capacity providers (migration 0017); FARGATE / FARGATE_SPOT have no row. */
export interface CapacityProvidersTable {
  name: string;
  capacity_provider_arn: string;
  /** ACTIVE or INACTIVE (deleted). */
  status: string;
  auto_scaling_group_arn: string | null;
  auto_scaling_group_provider: Json<Record<string, unknown>> | null;
  update_status: string | null;
  update_status_reason: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
  last_position: BigInt;
}
