import type { InsertType, SelectType } from "kysely";
import type {
  AlarmHistoryTable,
  AlarmsTable,
  CapacityProvidersTable,
  ClustersTable,
  ContainerInstancesTable,
  Database,
  ListenersTable,
  LoadBalancersTable,
  ScalableTargetsTable,
  ScalingActivitiesTable,
  ScalingPoliciesTable,
  ServiceEventsTable,
  ServicesTable,
  TargetGroupsTable,
  TargetsTable,
  TaskDefinitionsTable,
  TaskReservationsTable,
  TasksTable,
  WebhookSubscriptionsTable,
} from "../../db/index.js";
import type { RecordedEvent } from "../../eventstore/index.js";

/**
 * A row as a fold keeps it in memory: every column, holding the value the live
 * `apply` sends for it (the column's insert type: JSON as a string, a time as a
 * Date or the event's ISO string), except the `Parsed` columns a fold reads
 * back, which hold what Postgres would give back (the column's select type:
 * a JSON column's value itself, written as JSON; a time as a Date).
 */
export type MemoryRow<T, Parsed extends keyof T = never> = {
  -readonly [K in keyof T]-?: K extends Parsed
    ? SelectType<T[K]>
    : Exclude<InsertType<T[K]>, undefined>;
};

export type ClusterRow = MemoryRow<ClustersTable>;
export type TaskDefinitionRow = MemoryRow<TaskDefinitionsTable, "definition">;
export type ContainerInstanceRow = MemoryRow<ContainerInstancesTable>;
export type TaskReservationRow = MemoryRow<TaskReservationsTable>;
export type TaskRow = MemoryRow<TasksTable, "containers">;
export type ServiceRow = MemoryRow<ServicesTable, "deployments" | "capacity_provider_strategy">;
export type ServiceEventRow = MemoryRow<ServiceEventsTable>;
export type TargetGroupRow = MemoryRow<TargetGroupsTable>;
export type TargetRow = MemoryRow<TargetsTable>;
export type LoadBalancerRow = MemoryRow<LoadBalancersTable>;
export type ListenerRow = MemoryRow<ListenersTable>;
export type ScalableTargetRow = MemoryRow<ScalableTargetsTable>;
export type ScalingPolicyRow = MemoryRow<ScalingPoliciesTable>;
export type ScalingActivityRow = MemoryRow<ScalingActivitiesTable>;
/** `configuration` as Postgres gives jsonb back (keys in jsonb's order), and times as Dates: history items show them. */
export type AlarmRow = MemoryRow<
  AlarmsTable,
  "configuration" | "state_updated_at" | "state_transitioned_at" | "configuration_updated_at"
>;
export type AlarmHistoryRow = MemoryRow<AlarmHistoryTable>;
export type WebhookSubscriptionRow = MemoryRow<WebhookSubscriptionsTable>;
export type CapacityProviderRow = MemoryRow<CapacityProvidersTable>;

/**
 * Every projection table, in memory, keyed by primary key (a composite key
 * joined with "\n", which no ARN or name contains). Folds share it as the
 * live projections share the database: a fold reads and writes the tables the
 * projection's SQL reads and writes, nothing else.
 */
export interface FoldState {
  readonly clusters: Map<string, ClusterRow>;
  /** family "\n" revision */
  readonly task_definitions: Map<string, TaskDefinitionRow>;
  /** resource ARN → key → value. */
  readonly resource_tags: Map<string, Map<string, string>>;
  readonly container_instances: Map<string, ContainerInstanceRow>;
  /** container instance ARN "\n" task ARN */
  readonly task_reservations: Map<string, TaskReservationRow>;
  readonly tasks: Map<string, TaskRow>;
  readonly services: Map<string, ServiceRow>;
  /** service ARN → its messages, oldest first (position, seq). */
  readonly service_events: Map<string, ServiceEventRow[]>;
  readonly target_groups: Map<string, TargetGroupRow>;
  /** target group ARN "\n" target id "\n" port */
  readonly targets: Map<string, TargetRow>;
  readonly load_balancers: Map<string, LoadBalancerRow>;
  readonly listeners: Map<string, ListenerRow>;
  readonly scalable_targets: Map<string, ScalableTargetRow>;
  readonly scaling_policies: Map<string, ScalingPolicyRow>;
  readonly scaling_activities: Map<string, ScalingActivityRow>;
  readonly alarms: Map<string, AlarmRow>;
  readonly alarm_history: AlarmHistoryRow[];
  readonly webhook_subscriptions: Map<string, WebhookSubscriptionRow>;
  readonly capacity_providers: Map<string, CapacityProviderRow>;
}

/** The projection tables a fold can hold (the keys of FoldState that name tables). */
export type FoldTable = keyof FoldState;

export const emptyFoldState = (): FoldState => ({
  clusters: new Map(),
  task_definitions: new Map(),
  resource_tags: new Map(),
  container_instances: new Map(),
  task_reservations: new Map(),
  tasks: new Map(),
  services: new Map(),
  service_events: new Map(),
  target_groups: new Map(),
  targets: new Map(),
  load_balancers: new Map(),
  listeners: new Map(),
  scalable_targets: new Map(),
  scaling_policies: new Map(),
  scaling_activities: new Map(),
  alarms: new Map(),
  alarm_history: [],
  webhook_subscriptions: new Map(),
  capacity_providers: new Map(),
});

/**
 * The second implementation of an inline projection: the same rows as its
 * `apply`, computed in memory. Pure: only the event and the state, no clock, no I/O.
 */
export interface ProjectionFold {
  readonly tables: readonly (keyof Database & FoldTable)[];
  fold(state: FoldState, event: RecordedEvent): void;
}

/** What Postgres says when an INSERT without ON CONFLICT meets an existing key. */
export class DuplicateKeyError extends Error {
  constructor(table: string, key: string) {
    super(`duplicate key value violates unique constraint of ${table}: ${key}`);
    this.name = "DuplicateKeyError";
  }
}

/** Inserts a row that must be new, as a plain INSERT does. */
export const insertNew = <R>(table: string, map: Map<string, R>, key: string, row: R): void => {
  if (map.has(key)) throw new DuplicateKeyError(table, key);
  map.set(key, row);
};

/** Epoch seconds to a Date at millisecond precision, as the projections store times. */
export const at = (epochSeconds: number): Date => new Date(Math.round(epochSeconds * 1000));
