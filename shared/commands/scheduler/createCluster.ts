import { z } from "zod";
import { defineCommand } from "../../bus/commandBus.js";
import { Tag } from "../../domain/tags/tag.js";
import { CapacityProviderStrategyItem, ClusterSetting } from "../../events/clusterEvents.js";

/** ECS CreateCluster: the request body is the command payload. */
export const CreateCluster = defineCommand({
  name: "CreateCluster",
  owner: "scheduler",
  payload: z.object({
    clusterName: z.string().optional(),
    tags: z.array(Tag).optional(),
    settings: z.array(ClusterSetting).optional(),
    configuration: z.record(z.string(), z.unknown()).optional(),
    capacityProviders: z.array(z.string()).optional(),
    defaultCapacityProviderStrategy: z.array(CapacityProviderStrategyItem).optional(),
    serviceConnectDefaults: z.object({ namespace: z.string() }).optional(),
  }),
  reply: z.object({ clusterName: z.string(), clusterArn: z.string() }),
});
