import type { Action } from "../../protocol/action.js";
import { describeResourceAt } from "./describeResourceAt.js";
import { getResourceHistory } from "./getResourceHistory.js";
import { planPlacement } from "./planPlacement.js";
import { interruptSpotTasks } from "./interruptSpotTasks.js";
import { createWebhookSubscription } from "./createWebhookSubscription.js";
import { deleteWebhookSubscription } from "./deleteWebhookSubscription.js";
import { listWebhookDeliveries } from "./listWebhookDeliveries.js";
import { listWebhookSubscriptions } from "./listWebhookSubscriptions.js";
import { resumeWebhookSubscription } from "./resumeWebhookSubscription.js";

/**
 * Flotilla's own actions, beyond ECS's API (docs/extensions.md): the same AWS
 * JSON 1.1 protocol under their own `X-Amz-Target` prefix, so no ECS name is
 * ever shadowed.
 */
export const FLOTILLA_ACTIONS: ReadonlyMap<string, Action> = new Map(
  (
    [
      planPlacement,
      getResourceHistory,
      describeResourceAt,
      createWebhookSubscription,
      listWebhookSubscriptions,
      deleteWebhookSubscription,
      listWebhookDeliveries,
      resumeWebhookSubscription,
      interruptSpotTasks,
    ] as Action[]
  ).map((a) => [a.name, a]),
);

export const FLOTILLA_TARGET_PREFIX = "FlotillaV1";
