import { isPoolCluster } from "../../../shared/domain/capacityProviders/managedPools.js";
import type { RunningTask, TaskIndex } from "./taskIndex.js";
import type { TaskSample, TaskSamples } from "./taskSamples.js";

/** What one metric key measured in one collection round. */
export interface UtilizationSample {
  /** Σ used ÷ Σ reserved (or registered) × 100. */
  readonly value: number;
  /** The lowest and highest single task's (cluster: instance's) utilisation in the round. */
  readonly min: number;
  readonly max: number;
}

/** `serviceName` undefined = the cluster-wide metric ({ClusterName} only). */
export interface MetricKey {
  readonly clusterName: string;
  readonly serviceName: string | undefined;
}

export interface RoundValues {
  readonly key: MetricKey;
  readonly cpu: UtilizationSample | undefined;
  readonly memory: UtilizationSample | undefined;
  /** RUNNING tasks of the service (services only). */
  readonly runningTasks: number | undefined;
}

interface Part {
  readonly used: number;
  readonly reserved: number;
}

/** Σused ÷ Σreserved × 100 over the parts that reserve something; undefined when none does. */
export const utilization = (parts: readonly Part[]): UtilizationSample | undefined => {
  let used = 0;
  let reserved = 0;
  let min = Infinity;
  let max = -Infinity;
  for (const p of parts) {
    if (!(p.reserved > 0)) continue;
    used += p.used;
    reserved += p.reserved;
    const share = (p.used / p.reserved) * 100;
    min = Math.min(min, share);
    max = Math.max(max, share);
  }
  if (!(reserved > 0)) return undefined;
  return { value: (used / reserved) * 100, min, max };
};

/**
 * PURE: one collection round at `nowMs`, as ECS defines its utilisation metrics.
 * - {ClusterName, ServiceName}: the CPU (memory) used by the service's RUNNING tasks
 *   ÷ the CPU (memory) they reserve × 100. A task's reservation is the projection's
 *   (task-level size when set, else Σ containers — what placement reserved), else
 *   the containers' reservations from the report; a task that reserves nothing is
 *   left out of both sums, and a service none of whose reporting tasks reserves
 *   anything gets no datapoint (missing data, never NaN or Infinity).
 * - {ClusterName}: the CPU (memory) used by all RUNNING tasks of the cluster ÷ the
 *   CPU (memory) registered by its ACTIVE and DRAINING container instances × 100.
 * Only samples received within `staleMs` count: a task whose agent went quiet is
 * left out rather than counted at its last figure forever.
 */
export const utilizationRound = (
  index: TaskIndex,
  samples: TaskSamples,
  nowMs: number,
  staleMs: number,
): RoundValues[] => {
  const agentOf = new Map(index.instances.map((i) => [i.containerInstanceArn, i.agentId]));
  const fresh = (task: RunningTask) => {
    const s = samples.get(task.taskArn);
    return s !== undefined &&
      s.receivedAtMs > nowMs - staleMs &&
      s.receivedAtMs <= nowMs &&
      mayReport(s, task, agentOf)
      ? s
      : undefined;
  };
  const services = new Map<string, { key: MetricKey; cpu: Part[]; memory: Part[]; n: number }>();
  const serviceEntry = (clusterName: string, serviceName: string) => {
    const id = `${clusterName}\u0000${serviceName}`;
    let entry = services.get(id);
    if (!entry) {
      entry = { key: { clusterName, serviceName }, cpu: [], memory: [], n: 0 };
      services.set(id, entry);
    }
    return entry;
  };
  for (const s of index.services) serviceEntry(s.clusterName, s.serviceName);
  const usedByInstance = new Map<string, { cpu: number; memory: number }>();
  for (const task of index.tasks.values()) {
    const sample = fresh(task);
    if (sample) {
      const onInstance = usedByInstance.get(task.containerInstanceArn) ?? { cpu: 0, memory: 0 };
      usedByInstance.set(task.containerInstanceArn, {
        cpu: onInstance.cpu + sample.cpuUsed,
        memory: onInstance.memory + sample.memoryUsed,
      });
    }
    if (task.serviceName === undefined) continue;
    const entry = serviceEntry(task.clusterName, task.serviceName);
    entry.n += 1;
    if (!sample) continue;
    entry.cpu.push({
      used: sample.cpuUsed,
      reserved: task.cpuReserved > 0 ? task.cpuReserved : sample.cpuReservedByContainers,
    });
    entry.memory.push({
      used: sample.memoryUsed,
      reserved: task.memoryReserved > 0 ? task.memoryReserved : sample.memoryReservedByContainers,
    });
  }
  const rounds: RoundValues[] = [...services.values()].map((e) => ({
    key: e.key,
    cpu: utilization(e.cpu),
    memory: utilization(e.memory),
    runningTasks: e.n,
  }));
  const clusters = new Map<string, { cpu: Part[]; memory: Part[] }>();
  for (const i of index.instances) {
    // A managed pool's instances are no cluster's: as in ECS, a cluster's CPU and memory
    // utilisation is that of its own container instances, never of Fargate capacity.
    if (isPoolCluster(i.clusterName)) continue;
    const entry = clusters.get(i.clusterName) ?? { cpu: [], memory: [] };
    const used = usedByInstance.get(i.containerInstanceArn) ?? { cpu: 0, memory: 0 };
    entry.cpu.push({ used: used.cpu, reserved: i.cpuRegistered });
    entry.memory.push({ used: used.memory, reserved: i.memoryRegistered });
    clusters.set(i.clusterName, entry);
  }
  for (const [clusterName, e] of clusters) {
    rounds.push({
      key: { clusterName, serviceName: undefined },
      cpu: utilization(e.cpu),
      memory: utilization(e.memory),
      runningTasks: undefined,
    });
  }
  return rounds;
};

/**
 * Only the task's own agent speaks for it: the sample must name the instance
 * the task runs on, and have come on the subject of the agent registered to
 * that instance (when the index knows it). NATS confines an agent to its own
 * subject, not to its own tasks: without this an agent could skew another
 * instance's utilisation, and so its scaling.
 */
const mayReport = (
  sample: TaskSample,
  task: RunningTask,
  agentOf: ReadonlyMap<string, string | undefined>,
): boolean => {
  if (sample.containerInstanceArn !== task.containerInstanceArn) return false;
  const agent = agentOf.get(task.containerInstanceArn);
  return agent === undefined || agent === sample.reportedBy;
};
