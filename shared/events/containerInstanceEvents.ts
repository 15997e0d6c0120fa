import { z } from "zod";
import { Capacity, Resource } from "../domain/resources.js";
import { Tag } from "../domain/tags/tag.js";

export const Attribute = z.object({ name: z.string(), value: z.string().optional() });
export const VersionInfo = z.object({
  agentVersion: z.string().optional(),
  agentHash: z.string().optional(),
  dockerVersion: z.string().optional(),
});

/** A host joined a cluster (or an ACTIVE one re-registered, refreshing what it reported). */
export const ContainerInstanceRegistered = z.object({
  clusterName: z.string(),
  containerInstanceArn: z.string(),
  ec2InstanceId: z.string(),
  availabilityZone: z.string().optional(),
  registeredResources: z.array(Resource),
  attributes: z.array(Attribute),
  versionInfo: VersionInfo,
  tags: z.array(Tag),
  registeredAt: z.number(),
});
export type ContainerInstanceRegistered = z.infer<typeof ContainerInstanceRegistered>;

export const ContainerInstanceDeregistered = z.object({
  clusterName: z.string(),
  containerInstanceArn: z.string(),
  force: z.boolean(),
  deregisteredAt: z.number(),
});
export type ContainerInstanceDeregistered = z.infer<typeof ContainerInstanceDeregistered>;

/** Heartbeats stopped (agentConnected false) or came back (true). Only changes are events. */
export const ContainerInstanceConnectivityChanged = z.object({
  clusterName: z.string(),
  containerInstanceArn: z.string(),
  agentConnected: z.boolean(),
  at: z.number(),
});
export type ContainerInstanceConnectivityChanged = z.infer<
  typeof ContainerInstanceConnectivityChanged
>;

/** The statuses UpdateContainerInstancesState sets. */
export const SettableInstanceStatus = z.enum(["ACTIVE", "DRAINING"]);
export type SettableInstanceStatus = z.infer<typeof SettableInstanceStatus>;

/**
 * UpdateContainerInstancesState: the instance is DRAINING (no new tasks are
 * placed on it; what runs there keeps running) or ACTIVE again.
 */
export const ContainerInstanceStatusChanged = z.object({
  clusterName: z.string(),
  containerInstanceArn: z.string(),
  status: SettableInstanceStatus,
  at: z.number(),
});
export type ContainerInstanceStatusChanged = z.infer<typeof ContainerInstanceStatusChanged>;

/** A task's resources were reserved on the instance (placement), in the instance's stream. */
export const TaskPlaced = z.object({
  clusterName: z.string(),
  containerInstanceArn: z.string(),
  taskArn: z.string(),
  reserved: Capacity,
});
export type TaskPlaced = z.infer<typeof TaskPlaced>;

/** The task stopped: its reservation on the instance is released. */
export const TaskResourcesReleased = z.object({
  clusterName: z.string(),
  containerInstanceArn: z.string(),
  taskArn: z.string(),
});
export type TaskResourcesReleased = z.infer<typeof TaskResourcesReleased>;
