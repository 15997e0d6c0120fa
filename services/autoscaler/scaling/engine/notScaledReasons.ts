import type { NotScaledReason } from "../../../../shared/events/index.js";

/**
 * The codes of decisions that did not scale. The first four are AWS's
 * NotScaledReason codes; the others are Flotilla's, so a user sees every
 * reason the autoscaler did nothing (docs/autoscaling.md lists them).
 */
export const NOT_SCALED = {
  atMax: "AlreadyAtMaxCapacity",
  atMin: "AlreadyAtMinCapacity",
  atDesired: "AlreadyAtDesiredCapacity",
  unscalable: "TargetServicePutResourceAsUnscalable",
  scaleOutCooldown: "ScaleOutCooldown",
  scaleInCooldown: "ScaleInCooldown",
  cooldown: "Cooldown",
  scaleOutSuspended: "DynamicScalingOutSuspended",
  scaleInSuspended: "DynamicScalingInSuspended",
  deployment: "DeploymentInProgress",
  insufficientData: "InsufficientData",
  scaleInDisabled: "ScaleInDisabled",
  otherPolicies: "OtherPoliciesDisagree",
  noStep: "NoStepAdjustment",
} as const;

export type NotScaledCode = (typeof NOT_SCALED)[keyof typeof NOT_SCALED];

export const reason = (
  code: NotScaledCode,
  capacities: { current: number; min?: number; max?: number },
): NotScaledReason => ({
  Code: code,
  CurrentCapacity: capacities.current,
  ...(capacities.min === undefined ? {} : { MinCapacity: capacities.min }),
  ...(capacities.max === undefined ? {} : { MaxCapacity: capacities.max }),
});
