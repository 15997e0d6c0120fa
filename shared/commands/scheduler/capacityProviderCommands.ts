import { z } from "zod";
import { defineCommand } from "../../bus/commandBus.js";
import {
  AutoScalingGroupProvider,
  AutoScalingGroupProviderUpdate,
} from "../../domain/capacityProviders/capacityProvider.js";
import { Tag } from "../../domain/tags/tag.js";
import { CapacityProviderStrategyItem } from "../../events/clusterEvents.js";

/** The reply of every capacity provider write: the API reads the provider back by name. */
const ProviderReply = z.object({ name: z.string(), capacityProviderArn: z.string() });

/** ECS CreateCapacityProvider: the request body is the command payload. */
export const CreateCapacityProvider = defineCommand({
  name: "CreateCapacityProvider",
  owner: "scheduler",
  payload: z.object({
    name: z.string(),
    autoScalingGroupProvider: AutoScalingGroupProvider,
    tags: z.array(Tag).optional(),
  }),
  reply: ProviderReply,
});

/** ECS UpdateCapacityProvider: `name` is a short name or an ARN. */
export const UpdateCapacityProvider = defineCommand({
  name: "UpdateCapacityProvider",
  owner: "scheduler",
  payload: z.object({
    name: z.string(),
    autoScalingGroupProvider: AutoScalingGroupProviderUpdate,
  }),
  reply: ProviderReply,
});

/** ECS DeleteCapacityProvider: `capacityProvider` is a short name or an ARN. */
export const DeleteCapacityProvider = defineCommand({
  name: "DeleteCapacityProvider",
  owner: "scheduler",
  payload: z.object({ capacityProvider: z.string() }),
  reply: ProviderReply,
});

/** ECS PutClusterCapacityProviders: both lists are required and may be empty. */
export const PutClusterCapacityProviders = defineCommand({
  name: "PutClusterCapacityProviders",
  owner: "scheduler",
  payload: z.object({
    cluster: z.string(),
    capacityProviders: z.array(z.string()),
    defaultCapacityProviderStrategy: z.array(CapacityProviderStrategyItem),
  }),
  reply: z.object({ clusterName: z.string(), clusterArn: z.string() }),
});
