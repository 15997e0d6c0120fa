import type { StopCode, TaskStatus } from "../../../shared/events/index.js";
import type { z } from "zod";
import type { NetworkBinding } from "../../../shared/events/index.js";

export type StopCodeValue = z.infer<typeof StopCode>;
export type NetworkBindingValue = z.infer<typeof NetworkBinding>;

/** Why the agent ended a task: ECS's stop code and reason. */
export interface TaskEnding {
  readonly stopCode: StopCodeValue;
  readonly stoppedReason: string;
}

export interface ContainerMemory {
  /** ECS container `reason`, e.g. `CannotPullContainerError: …`. */
  readonly reason?: string;
  /** The last network bindings seen while it ran (reported after it stops, too). */
  readonly bindings?: readonly NetworkBindingValue[];
  /** A restart in place failed: the exit now counts as a normal exit. */
  readonly restartFailed?: boolean;
}

/**
 * What the agent knows about a task beyond what the runtime shows: what it has reported,
 * the timestamps of the lifecycle (epoch seconds), and why it ended the task. It lives in
 * memory only; after a restart the plan rebuilds what matters from the containers' labels
 * and states, so losing it costs at most a repeated report.
 */
export interface TaskMemory {
  readonly taskArn: string;
  readonly reportedStatus?: TaskStatus;
  readonly reportedKey?: string;
  readonly imagesPulled: boolean;
  readonly networkReady: boolean;
  readonly networkRemoved: boolean;
  /**
   * The task's cgroup (task-level limits), once the runtime was asked for it: its
   * CgroupParent, or none where the runtime has no task cgroups.
   */
  readonly cgroup?: { readonly parent?: string };
  readonly cgroupRemoved?: boolean;
  /** awsvpc: the task's address (its pause container's), reported as its ENI. */
  readonly address?: { readonly privateIPv4Address: string; readonly macAddress?: string };
  readonly pullStartedAt?: number;
  readonly pullStoppedAt?: number;
  readonly startedAt?: number;
  readonly stoppingAt?: number;
  readonly executionStoppedAt?: number;
  readonly stoppedAt?: number;
  readonly ending?: TaskEnding;
  readonly containers: Readonly<Record<string, ContainerMemory>>;
}

export const freshMemory = (taskArn: string): TaskMemory => ({
  taskArn,
  imagesPulled: false,
  networkReady: false,
  networkRemoved: false,
  containers: {},
});

/** What came of an action; `evolve` folds it into the task's memory. */
export type ActionOutcome =
  | { readonly kind: "imagesPulled"; readonly at: number }
  | {
      readonly kind: "imagePullFailed";
      readonly container: string;
      readonly message: string;
      readonly at: number;
    }
  | { readonly kind: "networkCreated" }
  | { readonly kind: "networkRemoved" }
  | { readonly kind: "cgroupPrepared"; readonly parent?: string }
  /** Removed, or given up on (`warning`): an empty cgroup left behind must not hold the task. */
  | { readonly kind: "cgroupRemoved"; readonly warning?: string }
  /** The pause container (the task's network namespace) could not be made or started. */
  | { readonly kind: "pauseFailed"; readonly message: string }
  | {
      readonly kind: "containerFailed";
      readonly container: string;
      readonly phase: "create" | "start";
      readonly message: string;
    }
  | { readonly kind: "restartFailed"; readonly container: string; readonly message: string }
  /** The container's `secrets` could not be read: the task cannot start (ECS's reason). */
  | { readonly kind: "secretsFailed"; readonly container: string; readonly stoppedReason: string }
  | { readonly kind: "done" }
  /** The runtime did not answer as hoped, for a reason a retry may cure. */
  | { readonly kind: "transient"; readonly message: string };

const withContainer = (
  memory: TaskMemory,
  name: string,
  change: Partial<ContainerMemory>,
): TaskMemory => ({
  ...memory,
  containers: { ...memory.containers, [name]: { ...memory.containers[name], ...change } },
});

const failed = (memory: TaskMemory, container: string, reason: string): TaskMemory => ({
  ...withContainer(memory, container, { reason }),
  ending: memory.ending ?? { stopCode: "TaskFailedToStart", stoppedReason: reason },
});

/** PURE: the memory after an action's outcome. */
export const evolve = (memory: TaskMemory, outcome: ActionOutcome): TaskMemory => {
  switch (outcome.kind) {
    case "imagesPulled":
      return { ...memory, imagesPulled: true, pullStoppedAt: memory.pullStoppedAt ?? outcome.at };
    case "imagePullFailed":
      return {
        ...failed(memory, outcome.container, `CannotPullContainerError: ${outcome.message}`),
        pullStoppedAt: memory.pullStoppedAt ?? outcome.at,
      };
    case "networkCreated":
      return { ...memory, networkReady: true };
    case "networkRemoved":
      return { ...memory, networkRemoved: true };
    case "cgroupPrepared":
      return { ...memory, cgroup: outcome.parent !== undefined ? { parent: outcome.parent } : {} };
    case "cgroupRemoved":
      return { ...memory, cgroupRemoved: true };
    case "pauseFailed":
      return {
        ...memory,
        ending: memory.ending ?? {
          stopCode: "TaskFailedToStart",
          stoppedReason: `ResourceInitializationError: unable to set up the task's network namespace: ${outcome.message}`,
        },
      };
    case "containerFailed":
      return failed(
        memory,
        outcome.container,
        `${outcome.phase === "create" ? "CannotCreateContainerError" : "CannotStartContainerError"}: ${outcome.message}`,
      );
    case "restartFailed":
      return withContainer(memory, outcome.container, { restartFailed: true });
    case "secretsFailed":
      return failed(memory, outcome.container, outcome.stoppedReason);
    case "done":
    case "transient":
      return memory;
  }
};
