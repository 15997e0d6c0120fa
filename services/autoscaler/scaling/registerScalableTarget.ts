import type { DecisionContext } from "../../../shared/aggregate/decider.js";
import type { PayloadOf } from "../../../shared/bus/index.js";
import type { RegisterScalableTarget } from "../../../shared/commands/autoscaler/index.js";
import { scalableTargetArn } from "../../../shared/domain/scaling/scalableTargetRef.js";
import { requireTargetKey, validationError } from "../../../shared/domain/scaling/targetKey.js";
import type { DomainEvent, SuspendedFlags } from "../../../shared/events/index.js";
import type { ScalableTargetState } from "./scalableTargetState.js";

export interface RegisterFacts {
  /** The ECS service exists and is ACTIVE. */
  readonly serviceExists: boolean;
  /** The id of the target's ARN when it is new. */
  readonly newTargetId: string;
}

const MAX_CAPACITY = 2_147_483_647;

/**
 * RegisterScalableTarget: a new target needs min and max; registering again
 * changes only what is given. Nothing changed, nothing is recorded.
 */
export const decideRegisterScalableTarget = (
  cmd: PayloadOf<typeof RegisterScalableTarget>,
  state: ScalableTargetState,
  facts: RegisterFacts,
  ctx: DecisionContext,
): DomainEvent[] => {
  const { clusterName, serviceName } = requireTargetKey(cmd);
  for (const field of ["MinCapacity", "MaxCapacity"] as const) {
    const v = cmd[field];
    if (v !== undefined && (v < 0 || v > MAX_CAPACITY)) {
      throw validationError(`${field}: must be between 0 and ${MAX_CAPACITY}; got ${v}.`);
    }
  }
  if (!facts.serviceExists) {
    throw validationError(`ECS service doesn't exist: ${cmd.ResourceId}`);
  }
  if (!state.registered && (cmd.MinCapacity === undefined || cmd.MaxCapacity === undefined)) {
    throw validationError(
      "MinCapacity and MaxCapacity are required to register a new scalable target.",
    );
  }
  const min = cmd.MinCapacity ?? state.minCapacity;
  const max = cmd.MaxCapacity ?? state.maxCapacity;
  if (max < min) {
    throw validationError(
      `MaxCapacity: the maximum capacity (${max}) cannot be less than the minimum capacity (${min}).`,
    );
  }
  const suspendedState: SuspendedFlags = {
    DynamicScalingInSuspended:
      cmd.SuspendedState?.DynamicScalingInSuspended ??
      state.suspendedState.DynamicScalingInSuspended,
    DynamicScalingOutSuspended:
      cmd.SuspendedState?.DynamicScalingOutSuspended ??
      state.suspendedState.DynamicScalingOutSuspended,
    ScheduledScalingSuspended:
      cmd.SuspendedState?.ScheduledScalingSuspended ??
      state.suspendedState.ScheduledScalingSuspended,
  };
  const roleArn = cmd.RoleARN ?? state.roleArn;
  const at = ctx.now.getTime() / 1000;
  if (!state.registered) {
    return [
      {
        type: "ScalableTargetRegistered",
        data: {
          clusterName,
          serviceName,
          serviceNamespace: "ecs",
          resourceId: cmd.ResourceId,
          scalableDimension: "ecs:service:DesiredCount",
          scalableTargetArn: scalableTargetArn(ctx.arn, facts.newTargetId),
          minCapacity: min,
          maxCapacity: max,
          ...(roleArn === undefined ? {} : { roleArn }),
          suspendedState,
          at,
        },
      },
    ];
  }
  const unchanged =
    min === state.minCapacity &&
    max === state.maxCapacity &&
    roleArn === state.roleArn &&
    JSON.stringify(suspendedState) === JSON.stringify(state.suspendedState);
  if (unchanged) return [];
  return [
    {
      type: "ScalableTargetUpdated",
      data: {
        clusterName,
        resourceId: cmd.ResourceId,
        minCapacity: min,
        maxCapacity: max,
        ...(roleArn === undefined ? {} : { roleArn }),
        suspendedState,
        at,
      },
    },
  ];
};

/**
 * Min / max moved past the desired count: the capacity moves at once (an
 * activity, without a policy, that starts no cooldown). Undefined if it is inside.
 */
export const decideCapacityCorrection = (
  state: ScalableTargetState,
  desiredCount: number,
  activityId: string,
  ctx: DecisionContext,
): DomainEvent[] => {
  if (!state.registered || !state.clusterName || !state.resourceId) return [];
  const { minCapacity: min, maxCapacity: max } = state;
  if (desiredCount >= min && desiredCount <= max) return [];
  const to = desiredCount < min ? min : max;
  return [
    {
      type: "ScalingActivityStarted",
      data: {
        clusterName: state.clusterName,
        resourceId: state.resourceId,
        activityId,
        direction: "set",
        fromCapacity: desiredCount,
        toCapacity: to,
        description: `Setting desired count to ${to}.`,
        cause:
          desiredCount < min
            ? `minimum capacity was set to ${min}`
            : `maximum capacity was set to ${max}`,
        at: ctx.now.getTime() / 1000,
      },
    },
  ];
};
