import { z } from "zod";
import { Tag } from "../domain/tags/tag.js";

/** An Auto Scaling group provider as stored: every field present (ECS's defaults filled in). */
const StoredAutoScalingGroupProvider = z.object({
  autoScalingGroupArn: z.string(),
  managedScaling: z.object({
    status: z.enum(["ENABLED", "DISABLED"]),
    targetCapacity: z.number().int(),
    minimumScalingStepSize: z.number().int(),
    maximumScalingStepSize: z.number().int(),
    instanceWarmupPeriod: z.number().int(),
  }),
  managedTerminationProtection: z.enum(["ENABLED", "DISABLED"]),
  managedDraining: z.enum(["ENABLED", "DISABLED"]),
});

/**
 * CreateCapacityProvider (stream `capacityprovider:<name>`): an instance-based
 * provider whose group is the container instances carrying the
 * `flotilla.autoscaling-group` attribute (docs/capacity-providers.md).
 * FARGATE and FARGATE_SPOT are never created: they always exist.
 */
export const CapacityProviderCreated = z.object({
  name: z.string(),
  capacityProviderArn: z.string(),
  autoScalingGroupProvider: StoredAutoScalingGroupProvider,
  tags: z.array(Tag),
  createdAt: z.string(),
});
export type CapacityProviderCreated = z.infer<typeof CapacityProviderCreated>;

/** UpdateCapacityProvider: the provider's settings after the update, whole. */
export const CapacityProviderUpdated = z.object({
  name: z.string(),
  capacityProviderArn: z.string(),
  autoScalingGroupProvider: StoredAutoScalingGroupProvider,
  updatedAt: z.string(),
});
export type CapacityProviderUpdated = z.infer<typeof CapacityProviderUpdated>;

/** DeleteCapacityProvider: the provider goes INACTIVE (stays describable by name); the name may be reused. */
export const CapacityProviderDeleted = z.object({
  name: z.string(),
  capacityProviderArn: z.string(),
  deletedAt: z.string(),
});
export type CapacityProviderDeleted = z.infer<typeof CapacityProviderDeleted>;
