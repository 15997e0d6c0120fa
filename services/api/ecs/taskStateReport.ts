import { z } from "zod";
import type { TaskStateReportMessage } from "../../../shared/agent/protocol.js";
import { EcsError } from "../../../shared/domain/errors.js";
import {
  type ContainerStateReport,
  HealthStatus,
  type TaskStatus,
} from "../../../shared/events/index.js";

/**
 * From an external agent's SubmitTaskStateChange / SubmitContainerStateChange
 * to our ReportTaskState command. Pure: the caller reads the task's current
 * row and the clock.
 */

/** ECS's NetworkBinding as an agent sends it; every field is optional on the wire. */
export const WireNetworkBinding = z.object({
  bindIP: z.string().optional(),
  containerPort: z.number().int().min(0).max(65535).optional(),
  hostPort: z.number().int().min(0).max(65535).optional(),
  protocol: z.enum(["tcp", "udp"]).optional(),
  containerPortRange: z.string().optional(),
  hostPortRange: z.string().optional(),
});
export type WireNetworkBinding = z.infer<typeof WireNetworkBinding>;

/** ECS's ContainerStateChange (SubmitTaskStateChange `containers[]`). */
export const WireContainerStateChange = z.object({
  containerName: z.string().optional(),
  imageDigest: z.string().optional(),
  runtimeId: z.string().optional(),
  exitCode: z.number().int().optional(),
  networkBindings: z.array(WireNetworkBinding).optional(),
  reason: z.string().max(1024).optional(),
  status: z.string().optional(),
});
export type WireContainerStateChange = z.infer<typeof WireContainerStateChange>;

/** What the report needs of the task as the projection holds it now. */
export interface TaskSnapshot {
  readonly taskArn: string;
  readonly lastStatus: string;
  readonly healthStatus: string;
  readonly stopCode: string | null;
  readonly startedAt: Date | null;
  readonly stoppingAt: Date | null;
  readonly stoppedAt: Date | null;
  readonly executionStoppedAt: Date | null;
  readonly containers: readonly { readonly name: string; readonly lastStatus: string }[];
}

const TASK_STATUSES: Readonly<Record<string, TaskStatus>> = {
  PROVISIONING: "PROVISIONING",
  PENDING: "PENDING",
  ACTIVATING: "ACTIVATING",
  RUNNING: "RUNNING",
  DEACTIVATING: "DEACTIVATING",
  STOPPING: "STOPPING",
  DEPROVISIONING: "DEPROVISIONING",
  STOPPED: "STOPPED",
  // The ECS agent's own states before RUNNING.
  NONE: "PENDING",
  MANIFEST_PULLED: "PENDING",
  CREATED: "PENDING",
};

type ContainerStatus = ContainerStateReport["lastStatus"];

const CONTAINER_STATUSES: Readonly<Record<string, ContainerStatus>> = {
  PENDING: "PENDING",
  RUNNING: "RUNNING",
  STOPPED: "STOPPED",
  NONE: "PENDING",
  MANIFEST_PULLED: "PENDING",
  PULLED: "PENDING",
  CREATED: "PENDING",
  RESOURCES_PROVISIONED: "PENDING",
};

const invalid = (message: string) => new EcsError("InvalidParameterException", message);

/** An ECS task status (or one of the ECS agent's pre-RUNNING states) in our lifecycle. */
export const taskStatusFrom = (status: string, field = "status"): TaskStatus => {
  const mapped = TASK_STATUSES[status.toUpperCase()];
  if (mapped === undefined) {
    throw invalid(
      `${field}: '${status}' is not a task status (PENDING, RUNNING, STOPPING, STOPPED, …).`,
    );
  }
  return mapped;
};

/** An ECS container status: PENDING, RUNNING or STOPPED (the agent's earlier states are PENDING). */
export const containerStatusFrom = (status: string, field = "status"): ContainerStatus => {
  const mapped = CONTAINER_STATUSES[status.toUpperCase()];
  if (mapped === undefined) {
    throw invalid(`${field}: '${status}' is not a container status (PENDING, RUNNING, STOPPED).`);
  }
  return mapped;
};

/** Bindings without a container port (port ranges only) are dropped; the host port defaults to it. */
export const networkBindingsFrom = (
  bindings: readonly WireNetworkBinding[],
): NonNullable<ContainerStateReport["networkBindings"]> =>
  bindings.flatMap((b) =>
    b.containerPort === undefined
      ? []
      : [
          {
            bindIP: b.bindIP ?? "0.0.0.0",
            containerPort: b.containerPort,
            hostPort: b.hostPort ?? b.containerPort,
            protocol: b.protocol ?? "tcp",
          },
        ],
  );

/**
 * One reported container, checked against the task's containers; no status
 * keeps its current one. `prefix` places its fields in the request's
 * (`containers[0].` in SubmitTaskStateChange, none in SubmitContainerStateChange).
 */
export const containerReportFrom = (
  change: WireContainerStateChange,
  task: TaskSnapshot,
  prefix: string,
): ContainerStateReport => {
  if (change.containerName === undefined) {
    throw invalid(`${prefix}containerName: a container name is required.`);
  }
  const current = task.containers.find((c) => c.name === change.containerName);
  if (!current) {
    throw invalid(
      `${prefix}containerName: the task has no container named '${change.containerName}'.`,
    );
  }
  const lastStatus = containerStatusFrom(change.status ?? current.lastStatus, `${prefix}status`);
  return {
    name: change.containerName,
    lastStatus,
    ...(change.runtimeId === undefined ? {} : { runtimeId: change.runtimeId }),
    ...(change.exitCode === undefined ? {} : { exitCode: change.exitCode }),
    ...(change.reason === undefined ? {} : { reason: change.reason }),
    ...(change.networkBindings === undefined
      ? {}
      : { networkBindings: networkBindingsFrom(change.networkBindings) }),
  };
};

const STOPPING: readonly TaskStatus[] = ["DEACTIVATING", "STOPPING", "DEPROVISIONING", "STOPPED"];

const seconds = (d: Date | null): number | undefined =>
  d === null ? undefined : d.getTime() / 1000;

export interface TaskChange {
  /** The new task status; absent keeps the task's current one. */
  readonly status?: string | undefined;
  readonly reason?: string | undefined;
  readonly containers: readonly WireContainerStateChange[];
  /** Where the containers are in the request, for error messages: `containers[i].` or none. */
  readonly containerFieldPrefix: (index: number) => string;
  readonly pullStartedAt?: number | undefined;
  readonly pullStoppedAt?: number | undefined;
  readonly executionStoppedAt?: number | undefined;
}

/**
 * The ReportTaskState payload for a change. The times ECS itself sets are set
 * once, at `now`: startedAt on the first RUNNING, stoppingAt when stopping
 * begins, stoppedAt (and executionStoppedAt if the agent gave none) on STOPPED.
 * A task stopped with no stop requested is EssentialContainerExited, or
 * TaskFailedToStart if it never ran; `reason` is its stoppedReason (once
 * stopping: a reason given while running is not a stop reason). The health
 * status is kept.
 */
export const taskStateReport = (
  task: TaskSnapshot,
  change: TaskChange,
  now: number,
): TaskStateReportMessage => {
  const lastStatus =
    change.status === undefined
      ? taskStatusFrom(task.lastStatus)
      : taskStatusFrom(change.status, "status");
  const containers = change.containers.map((c, i) =>
    containerReportFrom(c, task, change.containerFieldPrefix(i)),
  );
  const ran = task.startedAt !== null || task.lastStatus === "RUNNING";
  const startedAt = seconds(task.startedAt) ?? (lastStatus === "RUNNING" ? now : undefined);
  const stoppingAt = seconds(task.stoppingAt) ?? (STOPPING.includes(lastStatus) ? now : undefined);
  const stopped = lastStatus === "STOPPED";
  const stoppedAt = seconds(task.stoppedAt) ?? (stopped ? now : undefined);
  const executionStoppedAt =
    change.executionStoppedAt ?? seconds(task.executionStoppedAt) ?? (stopped ? now : undefined);
  const health = HealthStatus.safeParse(task.healthStatus);
  return {
    taskArn: task.taskArn,
    lastStatus,
    ...(health.success ? { healthStatus: health.data } : {}),
    containers,
    ...(change.pullStartedAt === undefined ? {} : { pullStartedAt: change.pullStartedAt }),
    ...(change.pullStoppedAt === undefined ? {} : { pullStoppedAt: change.pullStoppedAt }),
    ...(startedAt === undefined ? {} : { startedAt }),
    ...(stoppingAt === undefined ? {} : { stoppingAt }),
    ...(executionStoppedAt === undefined ? {} : { executionStoppedAt }),
    ...(stoppedAt === undefined ? {} : { stoppedAt }),
    ...(stopped && task.stopCode === null
      ? { stopCode: ran ? "EssentialContainerExited" : "TaskFailedToStart" }
      : {}),
    ...(change.reason === undefined || !STOPPING.includes(lastStatus)
      ? {}
      : { stoppedReason: change.reason }),
    at: now,
  };
};
