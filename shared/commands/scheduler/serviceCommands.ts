import { z } from "zod";
import { defineCommand } from "../../bus/commandBus.js";
import { PlacementConstraint, PlacementStrategy } from "../../domain/placement.js";
import { DesiredCount } from "../../domain/services/desiredCount.js";
import { Tag } from "../../domain/tags/tag.js";
import { CapacityProviderStrategyItem } from "../../events/clusterEvents.js";
import { SchedulingStrategy, ServiceLoadBalancer } from "../../events/serviceEvents.js";

/** ECS's deploymentConfiguration as a request may give it: every field optional. */
export const DeploymentConfigurationInput = z.object({
  minimumHealthyPercent: z.number().int().min(0).max(100).optional(),
  maximumPercent: z.number().int().min(0).max(2000).optional(),
  deploymentCircuitBreaker: z.object({ enable: z.boolean(), rollback: z.boolean() }).optional(),
});
export type DeploymentConfigurationInput = z.infer<typeof DeploymentConfigurationInput>;

const ServiceReply = z.object({ serviceArn: z.string() });

/**
 * ECS CreateService (rolling-update deployment controller): EC2 or FARGATE
 * launch type, or a capacity provider strategy (the cluster's default when
 * neither is given).
 */
export const CreateService = defineCommand({
  name: "CreateService",
  owner: "scheduler",
  payload: z.object({
    cluster: z.string().optional(),
    serviceName: z.string(),
    taskDefinition: z.string(),
    desiredCount: DesiredCount.optional(),
    clientToken: z.string().max(36).optional(),
    launchType: z.enum(["EC2", "FARGATE", "EXTERNAL", "MANAGED_INSTANCES"]).optional(),
    capacityProviderStrategy: z.array(CapacityProviderStrategyItem).optional(),
    schedulingStrategy: SchedulingStrategy.optional(),
    deploymentConfiguration: DeploymentConfigurationInput.optional(),
    placementConstraints: z.array(PlacementConstraint).max(10).optional(),
    placementStrategy: z.array(PlacementStrategy).max(5).optional(),
    healthCheckGracePeriodSeconds: z.number().int().min(0).max(2147483647).optional(),
    loadBalancers: z.array(ServiceLoadBalancer).optional(),
    tags: z.array(Tag).optional(),
    propagateTags: z.enum(["TASK_DEFINITION", "SERVICE", "NONE"]).optional(),
    enableECSManagedTags: z.boolean().optional(),
  }),
  reply: ServiceReply,
});

/** ECS UpdateService: only the fields given change. */
export const UpdateService = defineCommand({
  name: "UpdateService",
  owner: "scheduler",
  payload: z.object({
    cluster: z.string().optional(),
    service: z.string(),
    desiredCount: DesiredCount.optional(),
    taskDefinition: z.string().optional(),
    deploymentConfiguration: DeploymentConfigurationInput.optional(),
    placementConstraints: z.array(PlacementConstraint).max(10).optional(),
    placementStrategy: z.array(PlacementStrategy).max(5).optional(),
    healthCheckGracePeriodSeconds: z.number().int().min(0).max(2147483647).optional(),
    /** A new strategy needs forceNewDeployment, as in ECS; empty: back to the launch type. */
    capacityProviderStrategy: z.array(CapacityProviderStrategyItem).optional(),
    forceNewDeployment: z.boolean().optional(),
  }),
  reply: ServiceReply,
});

/** ECS DeleteService: refused while desiredCount > 0 unless `force`. */
export const DeleteService = defineCommand({
  name: "DeleteService",
  owner: "scheduler",
  payload: z.object({
    cluster: z.string().optional(),
    service: z.string(),
    force: z.boolean().optional(),
  }),
  reply: ServiceReply,
});
