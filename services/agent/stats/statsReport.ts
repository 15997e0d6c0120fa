import type { ManifestTask, StatsReport } from "../../../shared/agent/protocol.js";
import type { ContainerStats } from "../runtime/containerRuntime.js";
import { effectiveContainer } from "../tasks/effectiveContainer.js";
import { cpuUnitsUsed, MIB } from "./cpuUnitsUsed.js";

export interface ContainerSample {
  readonly taskArn: string;
  readonly containerName: string;
  readonly previous?: ContainerStats;
  readonly current: ContainerStats;
}

/**
 * PURE: the StatsReport of one collection round. A container is reported once it has two
 * samples (CPU is a rate); reservations come from the task definition with overrides.
 */
export const statsReport = (
  containerInstanceArn: string,
  clusterName: string,
  samples: readonly ContainerSample[],
  tasks: ReadonlyMap<string, ManifestTask>,
  nowMs: number,
): StatsReport => {
  const byTask = new Map<string, StatsReport["tasks"][number]["containers"]>();
  for (const s of samples) {
    if (!s.previous) continue;
    const task = tasks.get(s.taskArn);
    const definition = task?.taskDefinition.containerDefinitions.find(
      (c) => c.name === s.containerName,
    );
    const container =
      definition && task ? effectiveContainer(definition, task.overrides) : undefined;
    const list = byTask.get(s.taskArn) ?? [];
    list.push({
      name: s.containerName,
      cpuUnitsUsed: cpuUnitsUsed(s.previous, s.current),
      cpuUnitsReserved: container?.cpu ?? 0,
      memoryMiBUsed: s.current.memoryBytes / MIB,
      memoryMiBReserved: container?.memoryReservation ?? container?.memory ?? 0,
    });
    byTask.set(s.taskArn, list);
  }
  return {
    containerInstanceArn,
    clusterName,
    at: nowMs / 1000,
    tasks: [...byTask].map(([taskArn, containers]) => ({ taskArn, containers })),
  };
};
