import { z } from "zod";
import { FARGATE_PLATFORM_VERSION } from "../domain/capacityProviders/managedPools.js";
import type { RecordedEvent } from "../eventstore/index.js";
import {
  TaskAttachment,
  type TaskCreated,
  type TaskStateChanged,
  type TaskStopRequested,
} from "../events/index.js";
import { isoTime, isoTimeOf } from "./isoTime.js";

export const TASK_STATE_CHANGE = "ECS Task State Change";

const NetworkBindingDetail = z.object({
  bindIP: z.string(),
  containerPort: z.number().int(),
  hostPort: z.number().int(),
  protocol: z.string(),
});

const ContainerDetail = z.object({
  containerArn: z.string().optional(),
  name: z.string(),
  image: z.string().optional(),
  taskArn: z.string(),
  lastStatus: z.string(),
  exitCode: z.number().int().optional(),
  reason: z.string().optional(),
  runtimeId: z.string().optional(),
  healthStatus: z.string().optional(),
  cpu: z.string().optional(),
  memory: z.string().optional(),
  memoryReservation: z.string().optional(),
  networkBindings: z.array(NetworkBindingDetail),
});

/**
 * The `detail` of EventBridge's "ECS Task State Change", field for field:
 * the whole task as it is after the change (not only what changed).
 */
export const TaskStateChangeDetail = z.object({
  clusterArn: z.string(),
  taskArn: z.string(),
  taskDefinitionArn: z.string(),
  /** Absent for a FARGATE task, as in ECS: its pool instance is nobody's to see. */
  containerInstanceArn: z.string().optional(),
  availabilityZone: z.string().optional(),
  launchType: z.string(),
  capacityProviderName: z.string().optional(),
  platformVersion: z.string().optional(),
  group: z.string(),
  startedBy: z.string().optional(),
  cpu: z.string(),
  memory: z.string(),
  lastStatus: z.string(),
  desiredStatus: z.string(),
  healthStatus: z.string().optional(),
  connectivity: z.string().optional(),
  connectivityAt: z.string().optional(),
  /** awsvpc: the task's ENI, as ECS reports it (absent until the agent reports one). */
  attachments: z.array(TaskAttachment).optional(),
  containers: z.array(ContainerDetail),
  overrides: z.record(z.string(), z.unknown()),
  createdAt: z.string(),
  pullStartedAt: z.string().optional(),
  pullStoppedAt: z.string().optional(),
  startedAt: z.string().optional(),
  stoppingAt: z.string().optional(),
  executionStoppedAt: z.string().optional(),
  stoppedAt: z.string().optional(),
  stoppedReason: z.string().optional(),
  stopCode: z.string().optional(),
  updatedAt: z.string(),
  /** The task stream's version: increases with every change of this task. */
  version: z.number().int().positive(),
});
export type TaskStateChangeDetail = z.infer<typeof TaskStateChangeDetail>;

type ContainerDetail = z.infer<typeof ContainerDetail>;

/** A task as its stream folds to: the detail without `clusterArn` and `version`. */
export type TaskState = Omit<TaskStateChangeDetail, "clusterArn" | "version"> & {
  readonly clusterName: string;
};

const drop = <T extends object>(o: T): T =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;

/** Folds one task-stream event; events that change nothing public return `state` unchanged. */
export const foldTask = (
  state: TaskState | undefined,
  event: RecordedEvent,
): TaskState | undefined => {
  switch (event.type) {
    case "TaskCreated": {
      const d = event.data as TaskCreated;
      const updatedAt = isoTime(d.createdAt);
      return drop({
        clusterName: d.clusterName,
        taskArn: d.taskArn,
        taskDefinitionArn: d.taskDefinitionArn,
        containerInstanceArn: d.launchType === "FARGATE" ? undefined : d.containerInstanceArn,
        availabilityZone: d.availabilityZone,
        launchType: d.launchType,
        capacityProviderName: d.capacityProviderName,
        platformVersion: d.launchType === "FARGATE" ? FARGATE_PLATFORM_VERSION : undefined,
        group: d.group,
        startedBy: d.startedBy,
        cpu: d.cpu,
        memory: d.memory,
        lastStatus: "PENDING",
        desiredStatus: "RUNNING",
        connectivity: "CONNECTED",
        connectivityAt: updatedAt,
        containers: d.containers.map((c) =>
          drop({
            containerArn: c.containerArn,
            name: c.name,
            image: c.image,
            taskArn: d.taskArn,
            lastStatus: "PENDING",
            cpu: c.cpu,
            memory: c.memory,
            memoryReservation: c.memoryReservation,
            networkBindings: [],
          }),
        ),
        overrides: d.overrides,
        createdAt: updatedAt,
        updatedAt,
      });
    }
    case "TaskStopRequested": {
      if (state === undefined) return state;
      const d = event.data as TaskStopRequested;
      return {
        ...state,
        desiredStatus: "STOPPED",
        stopCode: state.stopCode ?? d.stopCode,
        stoppedReason: state.stoppedReason ?? d.stoppedReason,
        updatedAt: isoTime(d.at),
      };
    }
    case "TaskStateChanged": {
      if (state === undefined) return state;
      const d = event.data as TaskStateChanged;
      const containers = state.containers.map((c): ContainerDetail => {
        const r = d.containers.find((x) => x.name === c.name);
        if (r === undefined) return c;
        return drop({
          ...c,
          lastStatus: r.lastStatus,
          exitCode: r.exitCode ?? c.exitCode,
          reason: r.reason ?? c.reason,
          runtimeId: r.runtimeId ?? c.runtimeId,
          healthStatus: r.healthStatus ?? c.healthStatus,
          networkBindings: r.networkBindings ?? c.networkBindings,
        });
      });
      return drop({
        ...state,
        lastStatus: d.lastStatus,
        desiredStatus: d.lastStatus === "STOPPED" ? "STOPPED" : state.desiredStatus,
        healthStatus: d.healthStatus ?? state.healthStatus,
        containers,
        attachments: d.attachments ?? state.attachments,
        pullStartedAt: isoTimeOf(d.pullStartedAt) ?? state.pullStartedAt,
        pullStoppedAt: isoTimeOf(d.pullStoppedAt) ?? state.pullStoppedAt,
        startedAt: isoTimeOf(d.startedAt) ?? state.startedAt,
        stoppingAt: isoTimeOf(d.stoppingAt) ?? state.stoppingAt,
        executionStoppedAt: isoTimeOf(d.executionStoppedAt) ?? state.executionStoppedAt,
        stoppedAt: isoTimeOf(d.stoppedAt) ?? state.stoppedAt,
        stopCode: d.stopCode ?? state.stopCode,
        stoppedReason: d.stoppedReason ?? state.stoppedReason,
        updatedAt: isoTime(d.at),
      });
    }
    default:
      return state;
  }
};

/** The task-stream events that are a public "ECS Task State Change". */
export const TASK_CHANGES: ReadonlySet<string> = new Set([
  "TaskCreated",
  "TaskStopRequested",
  "TaskStateChanged",
]);

export const taskStateChangeDetail = (
  state: TaskState,
  clusterArn: string,
  version: number,
): TaskStateChangeDetail => {
  const { clusterName: _clusterName, ...rest } = state;
  return { clusterArn, ...rest, version };
};
