import type { Action } from "../../protocol/action.js";
import { deleteScalingPolicy } from "./deleteScalingPolicy.js";
import { deregisterScalableTarget } from "./deregisterScalableTarget.js";
import { describeScalableTargets } from "./describeScalableTargets.js";
import { describeScalingActivities } from "./describeScalingActivities.js";
import { describeScalingPolicies } from "./describeScalingPolicies.js";
import { putScalingPolicy } from "./putScalingPolicy.js";
import { registerScalableTarget } from "./registerScalableTarget.js";

/**
 * The Application Auto Scaling actions Flotilla answers (AWS JSON 1.1,
 * `X-Amz-Target: AnyScaleFrontendService.<Action>`), for ECS services'
 * `ecs:service:DesiredCount`.
 */
export const APPLICATION_AUTOSCALING_ACTIONS: ReadonlyMap<string, Action> = new Map(
  (
    [
      registerScalableTarget,
      deregisterScalableTarget,
      describeScalableTargets,
      putScalingPolicy,
      describeScalingPolicies,
      deleteScalingPolicy,
      describeScalingActivities,
    ] as Action[]
  ).map((a) => [a.name, a]),
);

export const APPLICATION_AUTOSCALING_TARGET_PREFIX = "AnyScaleFrontendService";
