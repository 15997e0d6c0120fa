import { z } from "zod";
import type { ArnContext } from "../arn.js";
import { parseArn } from "../arn.js";
import { EcsError } from "../errors.js";
import { MANAGED_POOLS, isManagedPool } from "./managedPools.js";

/**
 * Instance-based capacity providers (docs/capacity-providers.md): ECS's
 * `AutoScalingGroupProvider`. Flotilla has no EC2 Auto Scaling: the group is
 * the container instances carrying AUTOSCALING_GROUP_ATTRIBUTE, and managed
 * scaling is stored and reported, never acted on.
 */
export const ManagedScaling = z.object({
  status: z.enum(["ENABLED", "DISABLED"]).optional(),
  targetCapacity: z.number().int().min(1).max(100).optional(),
  minimumScalingStepSize: z.number().int().min(1).max(10000).optional(),
  maximumScalingStepSize: z.number().int().min(1).max(10000).optional(),
  instanceWarmupPeriod: z.number().int().min(0).max(10000).optional(),
});
export type ManagedScaling = z.infer<typeof ManagedScaling>;

const OnOff = z.enum(["ENABLED", "DISABLED"]);

export const AutoScalingGroupProvider = z.object({
  autoScalingGroupArn: z.string().min(1).max(1600),
  managedScaling: ManagedScaling.optional(),
  managedTerminationProtection: OnOff.optional(),
  managedDraining: OnOff.optional(),
});
export type AutoScalingGroupProvider = z.infer<typeof AutoScalingGroupProvider>;

/** UpdateCapacityProvider's `autoScalingGroupProvider`: everything but the group. */
export const AutoScalingGroupProviderUpdate = AutoScalingGroupProvider.omit({
  autoScalingGroupArn: true,
});
export type AutoScalingGroupProviderUpdate = z.infer<typeof AutoScalingGroupProviderUpdate>;

/** The provider as stored and reported: every field present, ECS's defaults filled in. */
export interface ResolvedAutoScalingGroupProvider {
  readonly autoScalingGroupArn: string;
  readonly managedScaling: Required<ManagedScaling>;
  readonly managedTerminationProtection: "ENABLED" | "DISABLED";
  readonly managedDraining: "ENABLED" | "DISABLED";
}

/** ECS's defaults for a provider's managed scaling, termination protection and draining. */
export const MANAGED_SCALING_DEFAULTS: Required<ManagedScaling> = {
  status: "DISABLED",
  targetCapacity: 100,
  minimumScalingStepSize: 1,
  maximumScalingStepSize: 10000,
  instanceWarmupPeriod: 300,
};

/** `base` with `change` laid over it; absent fields keep base's value (or ECS's default). */
export const resolveAutoScalingGroupProvider = (
  change: AutoScalingGroupProviderUpdate & { autoScalingGroupArn: string },
  base?: ResolvedAutoScalingGroupProvider,
): ResolvedAutoScalingGroupProvider => {
  const scaling = { ...(base?.managedScaling ?? MANAGED_SCALING_DEFAULTS) };
  for (const [k, v] of Object.entries(change.managedScaling ?? {})) {
    if (v !== undefined) (scaling as Record<string, unknown>)[k] = v;
  }
  const resolved: ResolvedAutoScalingGroupProvider = {
    autoScalingGroupArn: change.autoScalingGroupArn,
    managedScaling: scaling,
    managedTerminationProtection:
      change.managedTerminationProtection ?? base?.managedTerminationProtection ?? "DISABLED",
    managedDraining: change.managedDraining ?? base?.managedDraining ?? "ENABLED",
  };
  if (
    resolved.managedScaling.minimumScalingStepSize > resolved.managedScaling.maximumScalingStepSize
  ) {
    throw new EcsError(
      "InvalidParameterException",
      "autoScalingGroupProvider.managedScaling: minimumScalingStepSize cannot be greater than maximumScalingStepSize.",
    );
  }
  if (
    resolved.managedTerminationProtection === "ENABLED" &&
    resolved.managedScaling.status !== "ENABLED"
  ) {
    throw new EcsError(
      "InvalidParameterException",
      "autoScalingGroupProvider.managedTerminationProtection: managed termination protection requires managed scaling to be enabled.",
    );
  }
  return resolved;
};

/** `arn:aws:ecs:<region>:<account>:capacity-provider/<name>`. */
export const capacityProviderArn = (ctx: ArnContext, name: string): string =>
  `arn:aws:ecs:${ctx.region}:${ctx.accountId}:capacity-provider/${name}`;

/** A capacity provider's short name or ARN → its name (any other string is taken as a name). */
export const capacityProviderNameFrom = (ref: string): string => {
  if (!ref.startsWith("arn:")) return ref;
  const parsed = parseArn(ref);
  return parsed?.resourceType === "capacity-provider" ? parsed.resourceId : ref;
};

const NAME = /^[a-zA-Z0-9_-]{1,255}$/;
const RESERVED_PREFIX = /^(aws|ecs|fargate)/i;

/** ECS's rules for CreateCapacityProvider's `name` (FARGATE and FARGATE_SPOT are reserved). */
export const validateCapacityProviderName = (name: string): void => {
  if (isManagedPool(name)) {
    throw new EcsError(
      "ClientException",
      `name: ${name} is a reserved capacity provider name (${MANAGED_POOLS.join(", ")}). Specify a different name and try again.`,
    );
  }
  if (!NAME.test(name) || RESERVED_PREFIX.test(name)) {
    throw new EcsError(
      "ClientException",
      'name: The specified capacity provider name is invalid. Up to 255 characters are allowed, including letters (upper and lowercase), numbers, underscores, and hyphens. The name cannot be prefixed with "aws", "ecs", or "fargate". Specify a valid name and try again.',
    );
  }
};

/** ECS's answer for a provider name that names no (ACTIVE) capacity provider. */
export const capacityProviderNotFound = (field: string, name: string): EcsError =>
  new EcsError(
    "InvalidParameterException",
    `${field}: The specified capacity provider (${name}) does not exist. Specify a valid name or ARN and try again.`,
  );
