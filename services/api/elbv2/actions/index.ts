import type { Action } from "../../protocol/action.js";
import { createListener } from "./createListener.js";
import { createLoadBalancer } from "./createLoadBalancer.js";
import { createTargetGroup } from "./createTargetGroup.js";
import { deleteListener } from "./deleteListener.js";
import { deleteLoadBalancer } from "./deleteLoadBalancer.js";
import { deleteTargetGroup } from "./deleteTargetGroup.js";
import { deregisterTargets } from "./deregisterTargets.js";
import { describeListeners } from "./describeListeners.js";
import { describeLoadBalancers } from "./describeLoadBalancers.js";
import { describeTargetGroupAttributes } from "./describeTargetGroupAttributes.js";
import { describeTargetGroups } from "./describeTargetGroups.js";
import { describeTargetHealth } from "./describeTargetHealth.js";
import { modifyTargetGroup } from "./modifyTargetGroup.js";
import { modifyTargetGroupAttributes } from "./modifyTargetGroupAttributes.js";
import { registerTargets } from "./registerTargets.js";

/** The ELBv2 actions Flotilla answers, by their query-protocol `Action` name. */
export const ELBV2_ACTIONS: ReadonlyMap<string, Action> = new Map(
  (
    [
      createTargetGroup,
      describeTargetGroups,
      modifyTargetGroup,
      deleteTargetGroup,
      modifyTargetGroupAttributes,
      describeTargetGroupAttributes,
      registerTargets,
      deregisterTargets,
      describeTargetHealth,
      createLoadBalancer,
      describeLoadBalancers,
      deleteLoadBalancer,
      createListener,
      describeListeners,
      deleteListener,
    ] as Action[]
  ).map((a) => [a.name, a]),
);
