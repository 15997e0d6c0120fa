import { z } from "zod";
import { Tag } from "../domain/tags/tag.js";

export const ClusterSetting = z.object({
  name: z.literal("containerInsights"),
  value: z.enum(["enabled", "disabled", "enhanced"]),
});
export const CapacityProviderStrategyItem = z.object({
  capacityProvider: z.string().min(1),
  weight: z.number().int().min(0).max(1000).optional(),
  base: z.number().int().min(0).max(100000).optional(),
});

/** A cluster was created (or re-created after it was deleted). */
export const ClusterCreated = z.object({
  clusterName: z.string(),
  clusterArn: z.string(),
  settings: z.array(ClusterSetting),
  configuration: z.record(z.string(), z.unknown()).optional(),
  capacityProviders: z.array(z.string()),
  defaultCapacityProviderStrategy: z.array(CapacityProviderStrategyItem),
  serviceConnectDefaults: z.object({ namespace: z.string() }).optional(),
  tags: z.array(Tag),
  createdAt: z.string(),
});
export type ClusterCreated = z.infer<typeof ClusterCreated>;

/** DeleteCluster: the cluster goes INACTIVE; it stays describable, as in ECS. */
export const ClusterDeleted = z.object({
  clusterName: z.string(),
  clusterArn: z.string(),
  deletedAt: z.string(),
});
export type ClusterDeleted = z.infer<typeof ClusterDeleted>;

/**
 * PutClusterCapacityProviders (cluster stream): the cluster's capacity
 * providers and default strategy, both replaced whole.
 */
export const ClusterCapacityProvidersUpdated = z.object({
  clusterName: z.string(),
  clusterArn: z.string(),
  capacityProviders: z.array(z.string()),
  defaultCapacityProviderStrategy: z.array(CapacityProviderStrategyItem),
  updatedAt: z.string(),
});
export type ClusterCapacityProvidersUpdated = z.infer<typeof ClusterCapacityProvidersUpdated>;
