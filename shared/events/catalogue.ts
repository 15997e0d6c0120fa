import type { z } from "zod";
import type { RecordedEvent } from "../eventstore/index.js";
import { AccessDenied } from "./accessEvents.js";
import {
  CapacityProviderCreated,
  CapacityProviderDeleted,
  CapacityProviderUpdated,
} from "./capacityProviderEvents.js";
import {
  ClusterCapacityProvidersUpdated,
  ClusterCreated,
  ClusterDeleted,
} from "./clusterEvents.js";
import {
  ContainerInstanceConnectivityChanged,
  ContainerInstanceDeregistered,
  ContainerInstanceRegistered,
  ContainerInstanceStatusChanged,
  TaskPlaced,
  TaskResourcesReleased,
} from "./containerInstanceEvents.js";
import {
  ClientTokenClaimed,
  ClientTokenCompleted,
  ClientTokenReleased,
} from "./clientTokenEvents.js";
import { TaskCreated, TaskStateChanged, TaskStopRequested } from "./taskEvents.js";
import {
  ServiceCreated,
  ServiceDeleted,
  ServiceDeploymentCompleted,
  ServiceDeploymentFailed,
  ServiceDeploymentsRetired,
  ServiceInactivated,
  ServiceSteadyStateReached,
  ServiceTaskLaunchThrottled,
  ServiceTaskPlacementFailed,
  ServiceTasksDraining,
  ServiceTasksStarted,
  ServiceTasksStopped,
  ServiceUpdated,
} from "./serviceEvents.js";
import {
  ListenerCreated,
  ListenerDeleted,
  LoadBalancerCreated,
  LoadBalancerDeleted,
  TargetGroupCreated,
  TargetGroupDeleted,
  TargetGroupModified,
  TargetHealthChanged,
  TargetsDeregistered,
  TargetsDrained,
  TargetsRegistered,
} from "./loadBalancingEvents.js";
import {
  AlarmActionInvoked,
  AlarmActionsDisabled,
  AlarmActionsDue,
  AlarmActionsEnabled,
  AlarmDeleted,
  AlarmPut,
  AlarmStateChanged,
} from "./alarmEvents.js";
import {
  ScalableTargetDeregistered,
  ScalableTargetRegistered,
  ScalableTargetUpdated,
  ScalingActivityCompleted,
  ScalingActivityStarted,
  ScalingAlarmSignalled,
  ScalingNotPerformed,
  ScalingPolicyDeleted,
  ScalingPolicyPut,
} from "./scalingEvents.js";
import { SecretCreated, SecretDeleted, SecretValuePut } from "./secretEvents.js";
import { ResourceTagged, ResourceUntagged } from "./tagEvents.js";
import { TaskDefinitionDeregistered, TaskDefinitionRegistered } from "./taskDefinitionEvents.js";
import {
  WebhookSubscriptionCreated,
  WebhookSubscriptionDeleted,
  WebhookSubscriptionPaused,
  WebhookSubscriptionResumed,
} from "./webhookEvents.js";

/**
 * Every event type, its current schema version and its schema. docs/events.md
 * documents each; a change of shape bumps the version and adds an upcaster.
 */
export const EVENT_CATALOGUE = {
  ClusterCreated: { version: 1, schema: ClusterCreated, aggregate: "cluster" },
  ClusterDeleted: { version: 1, schema: ClusterDeleted, aggregate: "cluster" },
  ClusterCapacityProvidersUpdated: {
    version: 1,
    schema: ClusterCapacityProvidersUpdated,
    aggregate: "cluster",
  },
  CapacityProviderCreated: {
    version: 1,
    schema: CapacityProviderCreated,
    aggregate: "capacityProvider",
  },
  CapacityProviderUpdated: {
    version: 1,
    schema: CapacityProviderUpdated,
    aggregate: "capacityProvider",
  },
  CapacityProviderDeleted: {
    version: 1,
    schema: CapacityProviderDeleted,
    aggregate: "capacityProvider",
  },
  TaskDefinitionRegistered: {
    version: 1,
    schema: TaskDefinitionRegistered,
    aggregate: "taskDefinition",
  },
  TaskDefinitionDeregistered: {
    version: 1,
    schema: TaskDefinitionDeregistered,
    aggregate: "taskDefinition",
  },
  ContainerInstanceRegistered: {
    version: 1,
    schema: ContainerInstanceRegistered,
    aggregate: "containerInstance",
  },
  ContainerInstanceDeregistered: {
    version: 1,
    schema: ContainerInstanceDeregistered,
    aggregate: "containerInstance",
  },
  ContainerInstanceConnectivityChanged: {
    version: 1,
    schema: ContainerInstanceConnectivityChanged,
    aggregate: "containerInstance",
  },
  ContainerInstanceStatusChanged: {
    version: 1,
    schema: ContainerInstanceStatusChanged,
    aggregate: "containerInstance",
  },
  TaskPlaced: { version: 1, schema: TaskPlaced, aggregate: "containerInstance" },
  TaskResourcesReleased: {
    version: 1,
    schema: TaskResourcesReleased,
    aggregate: "containerInstance",
  },
  TaskCreated: { version: 1, schema: TaskCreated, aggregate: "task" },
  TaskStopRequested: { version: 1, schema: TaskStopRequested, aggregate: "task" },
  TaskStateChanged: { version: 1, schema: TaskStateChanged, aggregate: "task" },
  ServiceCreated: { version: 1, schema: ServiceCreated, aggregate: "service" },
  ServiceUpdated: { version: 1, schema: ServiceUpdated, aggregate: "service" },
  ServiceTasksStarted: { version: 1, schema: ServiceTasksStarted, aggregate: "service" },
  ServiceTasksStopped: { version: 1, schema: ServiceTasksStopped, aggregate: "service" },
  ServiceTasksDraining: { version: 1, schema: ServiceTasksDraining, aggregate: "service" },
  ServiceTaskPlacementFailed: {
    version: 1,
    schema: ServiceTaskPlacementFailed,
    aggregate: "service",
  },
  ServiceTaskLaunchThrottled: {
    version: 1,
    schema: ServiceTaskLaunchThrottled,
    aggregate: "service",
  },
  ServiceDeploymentCompleted: {
    version: 1,
    schema: ServiceDeploymentCompleted,
    aggregate: "service",
  },
  ServiceDeploymentFailed: { version: 1, schema: ServiceDeploymentFailed, aggregate: "service" },
  ServiceDeploymentsRetired: {
    version: 1,
    schema: ServiceDeploymentsRetired,
    aggregate: "service",
  },
  ServiceSteadyStateReached: {
    version: 1,
    schema: ServiceSteadyStateReached,
    aggregate: "service",
  },
  ServiceDeleted: { version: 1, schema: ServiceDeleted, aggregate: "service" },
  ServiceInactivated: { version: 1, schema: ServiceInactivated, aggregate: "service" },
  ClientTokenClaimed: { version: 1, schema: ClientTokenClaimed, aggregate: "clientToken" },
  ClientTokenCompleted: { version: 1, schema: ClientTokenCompleted, aggregate: "clientToken" },
  ClientTokenReleased: { version: 1, schema: ClientTokenReleased, aggregate: "clientToken" },
  TargetGroupCreated: { version: 1, schema: TargetGroupCreated, aggregate: "targetGroup" },
  TargetGroupModified: { version: 1, schema: TargetGroupModified, aggregate: "targetGroup" },
  TargetGroupDeleted: { version: 1, schema: TargetGroupDeleted, aggregate: "targetGroup" },
  TargetsRegistered: { version: 1, schema: TargetsRegistered, aggregate: "targetGroup" },
  TargetsDeregistered: { version: 1, schema: TargetsDeregistered, aggregate: "targetGroup" },
  TargetsDrained: { version: 1, schema: TargetsDrained, aggregate: "targetGroup" },
  TargetHealthChanged: { version: 1, schema: TargetHealthChanged, aggregate: "targetGroup" },
  LoadBalancerCreated: { version: 1, schema: LoadBalancerCreated, aggregate: "loadBalancer" },
  LoadBalancerDeleted: { version: 1, schema: LoadBalancerDeleted, aggregate: "loadBalancer" },
  ListenerCreated: { version: 1, schema: ListenerCreated, aggregate: "loadBalancer" },
  ListenerDeleted: { version: 1, schema: ListenerDeleted, aggregate: "loadBalancer" },
  AlarmPut: { version: 1, schema: AlarmPut, aggregate: "alarm" },
  AlarmDeleted: { version: 1, schema: AlarmDeleted, aggregate: "alarm" },
  AlarmStateChanged: { version: 1, schema: AlarmStateChanged, aggregate: "alarm" },
  AlarmActionsEnabled: { version: 1, schema: AlarmActionsEnabled, aggregate: "alarm" },
  AlarmActionsDisabled: { version: 1, schema: AlarmActionsDisabled, aggregate: "alarm" },
  AlarmActionsDue: { version: 1, schema: AlarmActionsDue, aggregate: "alarm" },
  AlarmActionInvoked: { version: 1, schema: AlarmActionInvoked, aggregate: "alarm" },
  ScalableTargetRegistered: {
    version: 1,
    schema: ScalableTargetRegistered,
    aggregate: "scalableTarget",
  },
  ScalableTargetUpdated: { version: 1, schema: ScalableTargetUpdated, aggregate: "scalableTarget" },
  ScalableTargetDeregistered: {
    version: 1,
    schema: ScalableTargetDeregistered,
    aggregate: "scalableTarget",
  },
  ScalingPolicyPut: { version: 1, schema: ScalingPolicyPut, aggregate: "scalableTarget" },
  ScalingPolicyDeleted: { version: 1, schema: ScalingPolicyDeleted, aggregate: "scalableTarget" },
  ScalingActivityStarted: {
    version: 1,
    schema: ScalingActivityStarted,
    aggregate: "scalableTarget",
  },
  ScalingActivityCompleted: {
    version: 1,
    schema: ScalingActivityCompleted,
    aggregate: "scalableTarget",
  },
  ScalingNotPerformed: { version: 1, schema: ScalingNotPerformed, aggregate: "scalableTarget" },
  ScalingAlarmSignalled: {
    version: 1,
    schema: ScalingAlarmSignalled,
    aggregate: "scalableTarget",
  },
  WebhookSubscriptionCreated: {
    version: 1,
    schema: WebhookSubscriptionCreated,
    aggregate: "webhookSubscription",
  },
  WebhookSubscriptionDeleted: {
    version: 1,
    schema: WebhookSubscriptionDeleted,
    aggregate: "webhookSubscription",
  },
  WebhookSubscriptionPaused: {
    version: 1,
    schema: WebhookSubscriptionPaused,
    aggregate: "webhookSubscription",
  },
  WebhookSubscriptionResumed: {
    version: 1,
    schema: WebhookSubscriptionResumed,
    aggregate: "webhookSubscription",
  },
  AccessDenied: { version: 1, schema: AccessDenied, aggregate: "principal" },
  SecretCreated: { version: 1, schema: SecretCreated, aggregate: "secret" },
  SecretValuePut: { version: 1, schema: SecretValuePut, aggregate: "secret" },
  SecretDeleted: { version: 1, schema: SecretDeleted, aggregate: "secret" },
  ResourceTagged: { version: 1, schema: ResourceTagged, aggregate: undefined },
  ResourceUntagged: { version: 1, schema: ResourceUntagged, aggregate: undefined },
} as const satisfies Record<
  string,
  { version: number; schema: z.ZodType; aggregate: string | undefined }
>;

export type EventType = keyof typeof EVENT_CATALOGUE;
export type EventData<T extends EventType> = z.infer<(typeof EVENT_CATALOGUE)[T]["schema"]>;

/** A domain event as deciders produce it and evolve consumes it. */
export type DomainEvent = { [T in EventType]: { type: T; data: EventData<T> } }[EventType];

export const isKnownEventType = (type: string): type is EventType =>
  Object.hasOwn(EVENT_CATALOGUE, type);

/** The typed view of a recorded event (after upcasting). */
export const toDomainEvent = (event: RecordedEvent): DomainEvent =>
  ({ type: event.type, data: event.data }) as DomainEvent;

/** Builds an event to append, stamped with its type's current schema version. */
export const newEvent = <T extends EventType>(type: T, data: EventData<T>) => ({
  type,
  data: data as Record<string, unknown>,
  schemaVersion: EVENT_CATALOGUE[type].version,
});

/** The aggregate name of a stream id such as `cluster:demo` (used in event subjects). */
export const aggregateOfStream = (streamId: string): string => {
  const colon = streamId.indexOf(":");
  const kind = colon === -1 ? "" : streamId.slice(0, colon);
  return STREAM_AGGREGATES.get(kind) ?? (kind || "unknown");
};

const STREAM_AGGREGATES: ReadonlyMap<string, string> = new Map([
  ["cluster", "cluster"],
  ["taskdef", "taskDefinition"],
  ["instance", "containerInstance"],
  ["task", "task"],
  ["service", "service"],
  ["targetgroup", "targetGroup"],
  ["loadbalancer", "loadBalancer"],
  ["clienttoken", "clientToken"],
  ["scalabletarget", "scalableTarget"],
  ["alarm", "alarm"],
  ["webhook", "webhookSubscription"],
  ["principal", "principal"],
  ["secret", "secret"],
  ["capacityprovider", "capacityProvider"],
]);
