import {
  TaskStatus,
  type ContainerStateReport,
  type DomainEvent,
  type TaskAttachment,
  type TaskCreated,
} from "../../../shared/events/index.js";
import { eventsOfTypes, type Aggregate } from "../../../shared/aggregate/decider.js";

export interface TaskState {
  readonly created?: TaskCreated;
  readonly desiredStatus: "RUNNING" | "STOPPED";
  readonly lastStatus: TaskStatus | "NONE";
  readonly stopCode?: string;
  readonly stoppedReason?: string;
  readonly containers: ReadonlyMap<string, ContainerStateReport>;
  /** The last attachments reported (awsvpc: the task's ENI). */
  readonly attachments?: readonly TaskAttachment[];
}

/** ECS's task lifecycle, in order (the enum's order); lastStatus never moves backwards. */
export const TASK_LIFECYCLE: readonly TaskStatus[] = TaskStatus.options;

export const lifecycleIndex = (s: TaskStatus | "NONE"): number =>
  s === "NONE" ? -1 : TASK_LIFECYCLE.indexOf(s);

const isTaskEvent = eventsOfTypes("TaskCreated", "TaskStopRequested", "TaskStateChanged");

export const taskAggregate: Aggregate<TaskState> = {
  initialState: { desiredStatus: "RUNNING", lastStatus: "NONE", containers: new Map() },
  evolve(state, event: DomainEvent): TaskState {
    if (!isTaskEvent(event)) return state;
    switch (event.type) {
      case "TaskCreated":
        return {
          ...state,
          created: event.data,
          desiredStatus: "RUNNING",
          lastStatus: "PROVISIONING",
          containers: new Map(
            event.data.containers.map((c) => [c.name, { name: c.name, lastStatus: "PENDING" }]),
          ),
        };
      case "TaskStopRequested":
        return {
          ...state,
          desiredStatus: "STOPPED",
          stopCode: state.stopCode ?? event.data.stopCode,
          stoppedReason: state.stoppedReason ?? event.data.stoppedReason,
        };
      case "TaskStateChanged": {
        const containers = new Map(state.containers);
        for (const c of event.data.containers) containers.set(c.name, c);
        return {
          ...state,
          lastStatus: event.data.lastStatus,
          desiredStatus: event.data.lastStatus === "STOPPED" ? "STOPPED" : state.desiredStatus,
          ...(event.data.stopCode && !state.stopCode ? { stopCode: event.data.stopCode } : {}),
          ...(event.data.stoppedReason && !state.stoppedReason
            ? { stoppedReason: event.data.stoppedReason }
            : {}),
          ...(event.data.attachments ? { attachments: event.data.attachments } : {}),
          containers,
        };
      }
      default: {
        const _exhaustive: never = event;
        return state;
      }
    }
  },
};
