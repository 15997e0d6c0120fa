import type { Action } from "../../protocol/action.js";

/**
 * The Application Auto Scaling actions Flotilla answers (AWS JSON 1.1,
 * `X-Amz-Target: AnyScaleFrontendService.<Action>`), for ECS services'
 * `ecs:service:DesiredCount`.
 */
export const APPLICATION_AUTOSCALING_ACTIONS: ReadonlyMap<string, Action> = new Map(
  ([] as Action[]).map((a) => [a.name, a]),
);

export const APPLICATION_AUTOSCALING_TARGET_PREFIX = "AnyScaleFrontendService";
