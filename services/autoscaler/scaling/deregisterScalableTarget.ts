import type { DecisionContext } from "../../../shared/aggregate/decider.js";
import { scalableTargetNotFound } from "../../../shared/domain/scaling/targetKey.js";
import type { DomainEvent } from "../../../shared/events/index.js";
import type { ScalableTargetState } from "./scalableTargetState.js";

/** DeregisterScalableTarget: each policy deleted, then the target. */
export const decideDeregisterScalableTarget = (
  resourceId: string,
  state: ScalableTargetState,
  ctx: DecisionContext,
): DomainEvent[] => {
  if (!state.registered || !state.clusterName) throw scalableTargetNotFound(resourceId);
  const at = ctx.now.getTime() / 1000;
  const clusterName = state.clusterName;
  return [
    ...Object.values(state.policies).map((p): DomainEvent => ({
      type: "ScalingPolicyDeleted",
      data: { clusterName, resourceId, policyName: p.policyName, policyArn: p.policyArn, at },
    })),
    { type: "ScalableTargetDeregistered", data: { clusterName, resourceId, at } },
  ];
};
