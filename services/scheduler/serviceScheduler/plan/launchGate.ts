import type { DomainEvent } from "../../../../shared/events/index.js";
import { throttleState } from "./throttle.js";
import type { PlanInput } from "./types.js";

/**
 * Whether the deployment may launch now, and the throttle event to record
 * when its tasks keep failing to start (once per new failure streak length).
 */
export const launchGate = (
  input: PlanInput,
  deploymentId: string,
): { readonly open: boolean; readonly events: DomainEvent[] } => {
  const { service, now } = input;
  const th = throttleState(deploymentId, input.tasks, input.settings);
  if (th.until === 0) return { open: true, events: [] };
  const events: DomainEvent[] =
    service.throttledAt?.consecutiveFailures === th.consecutiveFailures
      ? []
      : [
          {
            type: "ServiceTaskLaunchThrottled",
            data: {
              clusterName: service.created!.clusterName,
              serviceArn: service.created!.serviceArn,
              consecutiveFailures: th.consecutiveFailures,
              delaySeconds: th.delaySeconds,
              until: th.until,
              at: now,
            },
          },
        ];
  return { open: now >= th.until, events };
};
