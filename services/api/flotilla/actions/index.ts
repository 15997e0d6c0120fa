import type { Action } from "../../protocol/action.js";
import { planPlacement } from "./planPlacement.js";

/**
 * Flotilla's own actions, beyond ECS's API (docs/extensions.md): the same AWS
 * JSON 1.1 protocol under their own `X-Amz-Target` prefix, so no ECS name is
 * ever shadowed.
 */
export const FLOTILLA_ACTIONS: ReadonlyMap<string, Action> = new Map(
  ([planPlacement] as Action[]).map((a) => [a.name, a]),
);

export const FLOTILLA_TARGET_PREFIX = "FlotillaV1";
