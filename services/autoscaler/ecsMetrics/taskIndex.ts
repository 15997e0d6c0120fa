/**
 * What the ECS metrics need from the projections, read once per period: the
 * RUNNING tasks with their service and reservation, the ACTIVE services (so a
 * service with no running task still reports RunningTaskCount 0), and the
 * capacity registered by each cluster's ACTIVE and DRAINING instances.
 */
export interface RunningTask {
  readonly taskArn: string;
  readonly clusterName: string;
  readonly containerInstanceArn: string;
  /** From the task's group `service:<name>`; undefined for a standalone task. */
  readonly serviceName: string | undefined;
  /** What the task reserves as ECS accounts it (task level, else Σ containers); 0 = nothing. */
  readonly cpuReserved: number;
  readonly memoryReserved: number;
}

export interface RegisteredInstance {
  readonly containerInstanceArn: string;
  /** The agent the instance is registered to (its EC2-style instance id). */
  readonly agentId?: string;
  readonly clusterName: string;
  readonly cpuRegistered: number;
  readonly memoryRegistered: number;
}

export interface ServiceRef {
  readonly clusterName: string;
  readonly serviceName: string;
}

export interface TaskIndex {
  readonly tasks: ReadonlyMap<string, RunningTask>;
  readonly services: readonly ServiceRef[];
  readonly instances: readonly RegisteredInstance[];
}

export const EMPTY_TASK_INDEX: TaskIndex = { tasks: new Map(), services: [], instances: [] };

/** `service:web` → `web`; any other group (`family:x`, custom) → undefined. */
export const serviceOfGroup = (group: string): string | undefined =>
  group.startsWith("service:") ? group.slice("service:".length) : undefined;
