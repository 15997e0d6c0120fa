import { z } from "zod";
import {
  CONTAINER_INSTANCE_STATE_CHANGE,
  ContainerInstanceStateChangeDetail,
} from "./containerInstanceStateChange.js";
import { DEPLOYMENT_STATE_CHANGE, DeploymentStateChangeDetail } from "./deploymentStateChange.js";
import { PublicEvent } from "./publicEvent.js";
import { SERVICE_ACTION, ServiceActionDetail } from "./serviceAction.js";
import { TASK_STATE_CHANGE, TaskStateChangeDetail } from "./taskStateChange.js";

/** The kinds of public event: the subject token, and the JSON Schema file's name. */
export type PublicEventKind = "task" | "containerInstance" | "service" | "deployment";

const variant = <D extends z.ZodType>(type: string, detailType: string, data: D) =>
  PublicEvent.extend({
    type: z.literal(type),
    detailtype: z.literal(detailType),
    data,
  });

export const TaskStateChangeEvent = variant(
  "com.flotilla.ecs.task-state-change",
  TASK_STATE_CHANGE,
  TaskStateChangeDetail,
);
export type TaskStateChangeEvent = z.infer<typeof TaskStateChangeEvent>;

export const ContainerInstanceStateChangeEvent = variant(
  "com.flotilla.ecs.container-instance-state-change",
  CONTAINER_INSTANCE_STATE_CHANGE,
  ContainerInstanceStateChangeDetail,
);
export type ContainerInstanceStateChangeEvent = z.infer<typeof ContainerInstanceStateChangeEvent>;

export const ServiceActionEvent = variant(
  "com.flotilla.ecs.service-action",
  SERVICE_ACTION,
  ServiceActionDetail,
);
export type ServiceActionEvent = z.infer<typeof ServiceActionEvent>;

export const DeploymentStateChangeEvent = variant(
  "com.flotilla.ecs.deployment-state-change",
  DEPLOYMENT_STATE_CHANGE,
  DeploymentStateChangeDetail,
);
export type DeploymentStateChangeEvent = z.infer<typeof DeploymentStateChangeEvent>;

/** Every public event, by kind: what `docs/events/<kind>.schema.json` is generated from. */
export const PUBLIC_EVENT_SCHEMAS = {
  task: TaskStateChangeEvent,
  containerInstance: ContainerInstanceStateChangeEvent,
  service: ServiceActionEvent,
  deployment: DeploymentStateChangeEvent,
} as const satisfies Record<PublicEventKind, z.ZodType>;

export type AnyPublicEvent =
  | TaskStateChangeEvent
  | ContainerInstanceStateChangeEvent
  | ServiceActionEvent
  | DeploymentStateChangeEvent;

/** The kind of a public event, from its CloudEvents `type`. */
export const kindOf = (event: Pick<PublicEvent, "type">): PublicEventKind | undefined => {
  for (const [kind, schema] of Object.entries(PUBLIC_EVENT_SCHEMAS)) {
    if (schema.shape.type.value === event.type) return kind as PublicEventKind;
  }
  return undefined;
};
