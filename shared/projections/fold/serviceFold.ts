import {
  type ServiceEvent,
  serviceEventMessages,
} from "../../domain/services/serviceEventMessages.js";
import type { RecordedEvent } from "../../eventstore/index.js";
import { toDomainEvent } from "../../events/index.js";
import {
  completeDeployment,
  failDeployment,
  retireDeployments,
  rolloutReason,
  setPrimaryDesiredCount,
  startDeployment,
} from "../serviceDeployments.js";
import { SERVICE_EVENTS_KEPT, serviceEventId } from "../serviceProjection.js";
import { at, type FoldState, type ProjectionFold, type ServiceRow } from "./foldState.js";
import { replaceTagsInMemory } from "./tagFold.js";

/** Every change ends with the stream's version and position (a service without a row is left alone). */
const touch = (row: ServiceRow, recorded: RecordedEvent): void => {
  row.version = recorded.streamVersion;
  row.last_position = recorded.position;
};

const applyToRow = (state: FoldState, recorded: RecordedEvent, event: ServiceEvent): void => {
  switch (event.type) {
    case "ServiceCreated": {
      const d = event.data;
      state.services.set(d.serviceArn, {
        service_arn: d.serviceArn,
        cluster_name: d.clusterName,
        service_name: d.serviceName,
        status: "ACTIVE",
        desired_count: d.desiredCount,
        task_definition_arn: d.taskDefinitionArn,
        launch_type: d.launchType ?? null,
        capacity_provider_strategy: d.capacityProviderStrategy ?? [],
        scheduling_strategy: d.schedulingStrategy,
        deployment_configuration: JSON.stringify(d.deploymentConfiguration),
        placement_constraints: JSON.stringify(d.placementConstraints),
        placement_strategy: JSON.stringify(d.placementStrategy),
        health_check_grace_period_seconds: d.healthCheckGracePeriodSeconds ?? null,
        load_balancers: JSON.stringify(d.loadBalancers),
        deployments: startDeployment([], {
          id: d.deploymentId,
          taskDefinition: d.taskDefinitionArn,
          desiredCount: d.desiredCount,
          launchType: d.launchType,
          capacityProviderStrategy: d.capacityProviderStrategy,
          at: d.createdAt,
        }),
        propagate_tags: d.propagateTags ?? null,
        enable_ecs_managed_tags: d.enableECSManagedTags,
        created_at: at(d.createdAt),
        created_by: d.createdBy,
        version: recorded.streamVersion,
        last_position: recorded.position,
      });
      // A name created again after INACTIVE is a new service: its old messages go.
      state.service_events.delete(d.serviceArn);
      replaceTagsInMemory(state, d.serviceArn, d.tags);
      return;
    }
    case "ServiceUpdated": {
      const d = event.data;
      const current = state.services.get(d.serviceArn);
      if (!current) return;
      const desiredCount = d.desiredCount ?? current.desired_count;
      const taskDefinition = d.taskDefinitionArn ?? current.task_definition_arn;
      const capacity =
        d.capacityProviderStrategy === undefined
          ? {
              launchType: current.launch_type ?? undefined,
              capacityProviderStrategy: current.capacity_provider_strategy,
            }
          : {
              launchType: d.capacityProviderStrategy.length > 0 ? undefined : d.launchType,
              capacityProviderStrategy: d.capacityProviderStrategy,
            };
      current.deployments =
        d.deploymentId === undefined
          ? setPrimaryDesiredCount(current.deployments, desiredCount, d.updatedAt)
          : startDeployment(current.deployments, {
              id: d.deploymentId,
              taskDefinition,
              desiredCount,
              ...capacity,
              at: d.updatedAt,
            });
      current.desired_count = desiredCount;
      current.task_definition_arn = taskDefinition;
      if (d.deploymentConfiguration !== undefined) {
        current.deployment_configuration = JSON.stringify(d.deploymentConfiguration);
      }
      if (d.placementConstraints !== undefined) {
        current.placement_constraints = JSON.stringify(d.placementConstraints);
      }
      if (d.placementStrategy !== undefined) {
        current.placement_strategy = JSON.stringify(d.placementStrategy);
      }
      if (d.healthCheckGracePeriodSeconds !== undefined) {
        current.health_check_grace_period_seconds = d.healthCheckGracePeriodSeconds;
      }
      if (d.capacityProviderStrategy !== undefined) {
        current.launch_type = capacity.launchType ?? null;
        current.capacity_provider_strategy = d.capacityProviderStrategy;
      }
      touch(current, recorded);
      return;
    }
    case "ServiceDeploymentCompleted": {
      const d = event.data;
      const current = state.services.get(d.serviceArn);
      if (!current) return;
      current.deployments = completeDeployment(current.deployments, d.deploymentId, d.at);
      touch(current, recorded);
      return;
    }
    case "ServiceDeploymentFailed": {
      const d = event.data;
      const current = state.services.get(d.serviceArn);
      if (!current) return;
      const failed = failDeployment(current.deployments, d.deploymentId, d.failedTasks, d.at);
      if (d.rollback === undefined) {
        current.deployments = failed;
        touch(current, recorded);
        return;
      }
      current.deployments = startDeployment(failed, {
        id: d.rollback.deploymentId,
        taskDefinition: d.rollback.taskDefinitionArn,
        desiredCount: current.desired_count,
        launchType: current.launch_type ?? undefined,
        capacityProviderStrategy: current.capacity_provider_strategy,
        at: d.at,
        reason: rolloutReason.rollingBack(d.rollback.deploymentId),
      });
      current.task_definition_arn = d.rollback.taskDefinitionArn;
      touch(current, recorded);
      return;
    }
    case "ServiceDeploymentsRetired": {
      const d = event.data;
      const current = state.services.get(d.serviceArn);
      if (!current) return;
      current.deployments = retireDeployments(current.deployments, d.deploymentIds);
      touch(current, recorded);
      return;
    }
    case "ServiceDeleted": {
      const d = event.data;
      const current = state.services.get(d.serviceArn);
      if (!current) return;
      current.status = "DRAINING";
      current.desired_count = 0;
      current.deployments = setPrimaryDesiredCount(current.deployments, 0, d.at);
      touch(current, recorded);
      return;
    }
    case "ServiceInactivated": {
      const current = state.services.get(event.data.serviceArn);
      if (!current) return;
      current.status = "INACTIVE";
      touch(current, recorded);
      return;
    }
    case "ServiceTasksStarted":
    case "ServiceTasksStopped":
    case "ServiceTasksDraining":
    case "ServiceTaskPlacementFailed":
    case "ServiceTaskLaunchThrottled":
    case "ServiceSteadyStateReached": {
      const current = state.services.get(event.data.serviceArn);
      if (current) touch(current, recorded);
      return;
    }
    default: {
      const _exhaustive: never = event;
      return;
    }
  }
};

/** Adds the event's messages and keeps only the newest SERVICE_EVENTS_KEPT of the service. */
const recordMessages = (state: FoldState, recorded: RecordedEvent, event: ServiceEvent): void => {
  const messages = serviceEventMessages(event);
  if (messages.length === 0) return;
  const { serviceArn } = event.data;
  const when = at((event.data as { at: number }).at);
  const kept = state.service_events.get(serviceArn) ?? [];
  state.service_events.set(serviceArn, kept);
  // The log comes in position order, so the list stays ordered by (position, seq).
  for (const [seq, message] of messages.entries()) {
    kept.push({
      id: serviceEventId(recorded.eventId, seq),
      service_arn: serviceArn,
      position: recorded.position,
      seq,
      created_at: when,
      message,
    });
  }
  if (kept.length > SERVICE_EVENTS_KEPT) kept.splice(0, kept.length - SERVICE_EVENTS_KEPT);
};

/** serviceProjection in memory: services and service_events. */
export const serviceFold: ProjectionFold = {
  tables: ["services", "service_events"],
  fold(state, recorded) {
    const event = toDomainEvent(recorded) as ServiceEvent;
    applyToRow(state, recorded, event);
    recordMessages(state, recorded, event);
  },
};
