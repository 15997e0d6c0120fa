import type { DecisionContext } from "../../../shared/aggregate/decider.js";
import {
  scalableTargetNotFound,
  scalingPolicyNotFound,
} from "../../../shared/domain/scaling/targetKey.js";
import type { DomainEvent } from "../../../shared/events/index.js";
import type { ScalableTargetState } from "./scalableTargetState.js";

export const decideDeleteScalingPolicy = (
  resourceId: string,
  policyName: string,
  state: ScalableTargetState,
  ctx: DecisionContext,
): DomainEvent[] => {
  if (!state.registered || !state.clusterName) throw scalableTargetNotFound(resourceId);
  const policy = state.policies[policyName];
  if (!policy) throw scalingPolicyNotFound(resourceId, policyName);
  return [
    {
      type: "ScalingPolicyDeleted",
      data: {
        clusterName: state.clusterName,
        resourceId,
        policyName,
        policyArn: policy.policyArn,
        at: ctx.now.getTime() / 1000,
      },
    },
  ];
};
