import type { RecordedEvent } from "../eventstore/index.js";
import {
  foldContainerInstance,
  type ContainerInstanceState,
} from "./containerInstanceStateChange.js";
import { foldTask, type TaskState } from "./taskStateChange.js";

/**
 * What the public mapping needs of a resource beyond the event itself: a task
 * state change carries only what changed, the detail is the whole task; an
 * instance's remaining resources follow from every placement on it. Service
 * actions and deployment changes need nothing beyond the event.
 */
export type ResourceState =
  | { readonly kind: "task"; readonly task: TaskState | undefined }
  | { readonly kind: "containerInstance"; readonly instance: ContainerInstanceState | undefined }
  | { readonly kind: "none" };

const streamKind = (streamId: string): string => streamId.slice(0, streamId.indexOf(":"));

/** Whether events of this stream need the folded state (tasks and container instances). */
export const needsState = (streamId: string): boolean => {
  const kind = streamKind(streamId);
  return kind === "task" || kind === "instance";
};

export const initialState = (streamId: string): ResourceState => {
  switch (streamKind(streamId)) {
    case "task":
      return { kind: "task", task: undefined };
    case "instance":
      return { kind: "containerInstance", instance: undefined };
    default:
      return { kind: "none" };
  }
};

/** Folds one event of the resource's stream, in stream order. Pure. */
export const foldResource = (state: ResourceState, event: RecordedEvent): ResourceState => {
  switch (state.kind) {
    case "task":
      return { kind: "task", task: foldTask(state.task, event) };
    case "containerInstance":
      return { kind: "containerInstance", instance: foldContainerInstance(state.instance, event) };
    case "none":
      return state;
  }
};

/** Folds a whole stream (or its beginning). */
export const foldStream = (streamId: string, events: readonly RecordedEvent[]): ResourceState =>
  events.reduce(foldResource, initialState(streamId));
