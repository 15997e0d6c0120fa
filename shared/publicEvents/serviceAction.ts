import { z } from "zod";
import type { RecordedEvent } from "../eventstore/index.js";
import type {
  ServiceSteadyStateReached,
  ServiceTaskLaunchThrottled,
  ServiceTaskPlacementFailed,
  ServiceTasksStopped,
} from "../events/index.js";
import { isoTime } from "./isoTime.js";

export const SERVICE_ACTION = "ECS Service Action";

export const ServiceActionEventName = z.enum([
  "SERVICE_STEADY_STATE",
  "TASKS_STOPPED",
  "SERVICE_TASK_START_IMPAIRED",
  "SERVICE_TASK_PLACEMENT_FAILURE",
]);

/**
 * The `detail` of EventBridge's "ECS Service Action". `serviceArn` (EventBridge
 * puts it in the event's `resources`) and `version` are Flotilla's additions.
 */
export const ServiceActionDetail = z.object({
  eventType: z.enum(["INFO", "WARN", "ERROR"]),
  eventName: ServiceActionEventName,
  clusterArn: z.string(),
  serviceArn: z.string(),
  createdAt: z.string(),
  reason: z.string().optional(),
  taskArns: z.array(z.string()).optional(),
  /** The service stream's version: increases with every change of this service. */
  version: z.number().int().positive(),
});
export type ServiceActionDetail = z.infer<typeof ServiceActionDetail>;

/** The service action an event is, or undefined when it is none. Pure: the event holds it all. */
export const serviceActionDetail = (
  event: RecordedEvent,
  clusterArn: string,
): ServiceActionDetail | undefined => {
  const base = { clusterArn, version: event.streamVersion };
  switch (event.type) {
    case "ServiceSteadyStateReached": {
      const d = event.data as ServiceSteadyStateReached;
      return {
        eventType: "INFO",
        eventName: "SERVICE_STEADY_STATE",
        ...base,
        serviceArn: d.serviceArn,
        createdAt: isoTime(d.at),
      };
    }
    case "ServiceTasksStopped": {
      const d = event.data as ServiceTasksStopped;
      return {
        eventType: "INFO",
        eventName: "TASKS_STOPPED",
        ...base,
        serviceArn: d.serviceArn,
        createdAt: isoTime(d.at),
        reason: d.reason,
        taskArns: d.taskArns,
      };
    }
    case "ServiceTaskLaunchThrottled": {
      const d = event.data as ServiceTaskLaunchThrottled;
      return {
        eventType: "WARN",
        eventName: "SERVICE_TASK_START_IMPAIRED",
        ...base,
        serviceArn: d.serviceArn,
        createdAt: isoTime(d.at),
        reason:
          `${d.consecutiveFailures} consecutive tasks failed to start; ` +
          `new launches are delayed by ${d.delaySeconds} seconds`,
      };
    }
    case "ServiceTaskPlacementFailed": {
      const d = event.data as ServiceTaskPlacementFailed;
      return {
        eventType: "ERROR",
        eventName: "SERVICE_TASK_PLACEMENT_FAILURE",
        ...base,
        serviceArn: d.serviceArn,
        createdAt: isoTime(d.at),
        reason: d.message,
      };
    }
    default:
      return undefined;
  }
};
