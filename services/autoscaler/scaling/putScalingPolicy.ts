import type { DecisionContext } from "../../../shared/aggregate/decider.js";
import type {
  PolicyAlarm,
  PolicyType,
  StepScalingPolicyConfiguration,
  TargetTrackingScalingPolicyConfiguration,
} from "../../../shared/domain/scaling/scalingPolicyConfiguration.js";
import { scalableTargetNotFound } from "../../../shared/domain/scaling/targetKey.js";
import type { DomainEvent } from "../../../shared/events/index.js";
import type { ScalableTargetState } from "./scalableTargetState.js";

export interface PutPolicyDecision {
  readonly resourceId: string;
  readonly policyName: string;
  readonly policyArn: string;
  readonly policyType: PolicyType;
  readonly step?: StepScalingPolicyConfiguration | undefined;
  readonly targetTracking?: TargetTrackingScalingPolicyConfiguration | undefined;
  readonly alarms: readonly PolicyAlarm[];
}

/** PutScalingPolicy (validated, alarms created): the policy as it now is. */
export const decidePutScalingPolicy = (
  cmd: PutPolicyDecision,
  state: ScalableTargetState,
  ctx: DecisionContext,
): DomainEvent[] => {
  if (!state.registered || !state.clusterName) throw scalableTargetNotFound(cmd.resourceId);
  const before = state.policies[cmd.policyName];
  const at = ctx.now.getTime() / 1000;
  return [
    {
      type: "ScalingPolicyPut",
      data: {
        clusterName: state.clusterName,
        resourceId: cmd.resourceId,
        policyName: cmd.policyName,
        policyArn: cmd.policyArn,
        policyType: cmd.policyType,
        ...(cmd.step ? { stepScalingPolicyConfiguration: cmd.step } : {}),
        ...(cmd.targetTracking
          ? { targetTrackingScalingPolicyConfiguration: cmd.targetTracking }
          : {}),
        alarms: [...cmd.alarms],
        createdAt: before?.createdAt ?? at,
        at,
      },
    },
  ];
};
