import { z } from "zod";
import { PlacementConstraint, PlacementStrategy } from "../domain/placement.js";
import { Tag } from "../domain/tags/tag.js";
import { CapacityProviderStrategyItem } from "./clusterEvents.js";

export const SchedulingStrategy = z.enum(["REPLICA", "DAEMON"]);
export type SchedulingStrategy = z.infer<typeof SchedulingStrategy>;

export const DeploymentCircuitBreaker = z.object({ enable: z.boolean(), rollback: z.boolean() });

/** ECS's deploymentConfiguration, with every default filled in. */
export const DeploymentConfiguration = z.object({
  minimumHealthyPercent: z.number().int(),
  maximumPercent: z.number().int(),
  deploymentCircuitBreaker: DeploymentCircuitBreaker,
});
export type DeploymentConfiguration = z.infer<typeof DeploymentConfiguration>;

export const ServiceLoadBalancer = z.object({
  targetGroupArn: z.string().optional(),
  loadBalancerName: z.string().optional(),
  containerName: z.string().optional(),
  containerPort: z.number().int().optional(),
});

/** A service's launch type (absent when it runs through a capacity provider strategy). */
export const ServiceLaunchType = z.enum(["EC2", "FARGATE"]);
export type ServiceLaunchType = z.infer<typeof ServiceLaunchType>;

/**
 * A service was created, with its first deployment (`deploymentId`, ECS's
 * `ecs-svc/<digits>`; its tasks carry it as `startedBy`). It runs either
 * with a `launchType` or through a `capacityProviderStrategy` (the one the
 * request gave, or the cluster's default then, resolved at creation as ECS
 * does), never both.
 */
export const ServiceCreated = z.object({
  clusterName: z.string(),
  serviceName: z.string(),
  serviceArn: z.string(),
  taskDefinitionArn: z.string(),
  desiredCount: z.number().int(),
  launchType: ServiceLaunchType.optional(),
  capacityProviderStrategy: z.array(CapacityProviderStrategyItem).optional(),
  schedulingStrategy: SchedulingStrategy,
  deploymentConfiguration: DeploymentConfiguration,
  placementConstraints: z.array(PlacementConstraint),
  placementStrategy: z.array(PlacementStrategy),
  healthCheckGracePeriodSeconds: z.number().int().optional(),
  loadBalancers: z.array(ServiceLoadBalancer),
  tags: z.array(Tag),
  propagateTags: z.enum(["TASK_DEFINITION", "SERVICE", "NONE"]).optional(),
  enableECSManagedTags: z.boolean(),
  /** The CreateService clientToken and a digest of the request, for idempotent retries. */
  clientToken: z.string().optional(),
  requestDigest: z.string(),
  deploymentId: z.string(),
  createdBy: z.string(),
  createdAt: z.number(),
});
export type ServiceCreated = z.infer<typeof ServiceCreated>;

/**
 * UpdateService changed the service. When `deploymentId` is present the
 * change began a new PRIMARY deployment (new task definition, placement, or
 * forceNewDeployment, a new capacity provider strategy); every earlier one
 * becomes ACTIVE. `capacityProviderStrategy` is the service's new strategy;
 * empty, the service went back to its `launchType`.
 */
export const ServiceUpdated = z.object({
  clusterName: z.string(),
  serviceArn: z.string(),
  desiredCount: z.number().int().optional(),
  taskDefinitionArn: z.string().optional(),
  deploymentConfiguration: DeploymentConfiguration.optional(),
  placementConstraints: z.array(PlacementConstraint).optional(),
  placementStrategy: z.array(PlacementStrategy).optional(),
  healthCheckGracePeriodSeconds: z.number().int().optional(),
  capacityProviderStrategy: z.array(CapacityProviderStrategyItem).optional(),
  launchType: ServiceLaunchType.optional(),
  deploymentId: z.string().optional(),
  updatedAt: z.number(),
});
export type ServiceUpdated = z.infer<typeof ServiceUpdated>;

/** The service scheduler started tasks for a deployment (placement decided with them). */
export const ServiceTasksStarted = z.object({
  clusterName: z.string(),
  serviceArn: z.string(),
  deploymentId: z.string(),
  taskArns: z.array(z.string()).min(1),
  at: z.number(),
});
export type ServiceTasksStarted = z.infer<typeof ServiceTasksStarted>;

/** Why the service scheduler stops tasks. */
export const ServiceStopReason = z.enum([
  "scale-in",
  "deployment",
  "draining",
  "unhealthy",
  "instance-lost",
  "service-deleted",
  "daemon-ineligible",
  "drained",
  /** FARGATE_SPOT capacity was reclaimed (FlotillaV1.InterruptSpotTasks). */
  "spot-interruption",
]);
export type ServiceStopReason = z.infer<typeof ServiceStopReason>;

/** The service scheduler asked tasks to stop (each task's stream gets TaskStopRequested with it). */
export const ServiceTasksStopped = z.object({
  clusterName: z.string(),
  serviceArn: z.string(),
  reason: ServiceStopReason,
  taskArns: z.array(z.string()).min(1),
  at: z.number(),
});
export type ServiceTasksStopped = z.infer<typeof ServiceTasksStopped>;

/**
 * Tasks behind load balancers leave in two steps: first their targets are
 * deregistered and drain (this event; the tasks keep running), then, once
 * drained or after the deregistration delay, ServiceTasksStopped.
 */
export const ServiceTasksDraining = z.object({
  clusterName: z.string(),
  serviceArn: z.string(),
  reason: ServiceStopReason,
  taskArns: z.array(z.string()).min(1),
  /** The target groups they were deregistered from. */
  targetGroupArns: z.array(z.string()),
  at: z.number(),
});
export type ServiceTasksDraining = z.infer<typeof ServiceTasksDraining>;

/** No instance could take a task; `message` is the service event in ECS's wording. */
export const ServiceTaskPlacementFailed = z.object({
  clusterName: z.string(),
  serviceArn: z.string(),
  message: z.string(),
  at: z.number(),
});
export type ServiceTaskPlacementFailed = z.infer<typeof ServiceTaskPlacementFailed>;

/** Tasks kept stopping before RUNNING: no launch before `until` (epoch seconds). */
export const ServiceTaskLaunchThrottled = z.object({
  clusterName: z.string(),
  serviceArn: z.string(),
  consecutiveFailures: z.number().int(),
  delaySeconds: z.number(),
  until: z.number(),
  at: z.number(),
});
export type ServiceTaskLaunchThrottled = z.infer<typeof ServiceTaskLaunchThrottled>;

/** The PRIMARY deployment's tasks are all healthy and no other deployment has tasks left. */
export const ServiceDeploymentCompleted = z.object({
  clusterName: z.string(),
  serviceArn: z.string(),
  deploymentId: z.string(),
  at: z.number(),
});
export type ServiceDeploymentCompleted = z.infer<typeof ServiceDeploymentCompleted>;

/**
 * The circuit breaker tripped: the deployment FAILED. With rollback, the
 * last COMPLETED deployment (`rollback.deploymentId`, the same id, with its
 * task definition) becomes PRIMARY again, IN_PROGRESS, keeping whatever tasks
 * it still has; the failed one becomes ACTIVE and is drained.
 */
export const ServiceDeploymentFailed = z.object({
  clusterName: z.string(),
  serviceArn: z.string(),
  deploymentId: z.string(),
  reason: z.string(),
  failedTasks: z.number().int(),
  rollback: z.object({ deploymentId: z.string(), taskDefinitionArn: z.string() }).optional(),
  at: z.number(),
});
export type ServiceDeploymentFailed = z.infer<typeof ServiceDeploymentFailed>;

/** ACTIVE deployments with no task left leave the service (INACTIVE). */
export const ServiceDeploymentsRetired = z.object({
  clusterName: z.string(),
  serviceArn: z.string(),
  deploymentIds: z.array(z.string()).min(1),
  at: z.number(),
});
export type ServiceDeploymentsRetired = z.infer<typeof ServiceDeploymentsRetired>;

/** One deployment, all desired tasks healthy, nothing pending: "has reached a steady state." */
export const ServiceSteadyStateReached = z.object({
  clusterName: z.string(),
  serviceArn: z.string(),
  at: z.number(),
});
export type ServiceSteadyStateReached = z.infer<typeof ServiceSteadyStateReached>;

/** DeleteService: the service is DRAINING; its tasks will be stopped. */
export const ServiceDeleted = z.object({
  clusterName: z.string(),
  serviceArn: z.string(),
  force: z.boolean(),
  at: z.number(),
});
export type ServiceDeleted = z.infer<typeof ServiceDeleted>;

/** A deleted service's last task stopped: INACTIVE, its name free again. */
export const ServiceInactivated = z.object({
  clusterName: z.string(),
  serviceArn: z.string(),
  at: z.number(),
});
export type ServiceInactivated = z.infer<typeof ServiceInactivated>;
