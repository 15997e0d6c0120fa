import type { Capacity } from "../../../shared/domain/resources.js";
import type { CandidateTask, PlacementCandidate } from "./types.js";

export const byArn = (a: PlacementCandidate, b: PlacementCandidate): number =>
  a.containerInstanceArn < b.containerInstanceArn
    ? -1
    : a.containerInstanceArn > b.containerInstanceArn
      ? 1
      : 0;

/** The instance with the task added: its resources and host ports reserved. */
export const withTask = (
  c: PlacementCandidate,
  task: CandidateTask,
  need: Capacity,
): PlacementCandidate => ({
  ...c,
  remaining: {
    cpu: c.remaining.cpu - need.cpu,
    memory: c.remaining.memory - need.memory,
    tcpPorts: [...c.remaining.tcpPorts, ...need.tcpPorts],
    udpPorts: [...c.remaining.udpPorts, ...need.udpPorts],
  },
  runningTasksCount: c.runningTasksCount + 1,
  tasks: [...c.tasks, { ...task, reserved: need }],
});

/**
 * withTask for place's own copy of the cluster, which never leaves it: the
 * task comes with its `reserved` already set (spreading a task into a new
 * object costs more than the rest of the update), and a port list the task
 * adds nothing to is shared, not copied (both are read-only values).
 */
export const withPlacedTask = (
  c: PlacementCandidate,
  task: CandidateTask & { readonly reserved: Capacity },
): PlacementCandidate => {
  const need = task.reserved;
  const { tcpPorts, udpPorts } = c.remaining;
  return {
    ...c,
    remaining: {
      cpu: c.remaining.cpu - need.cpu,
      memory: c.remaining.memory - need.memory,
      tcpPorts: need.tcpPorts.length === 0 ? tcpPorts : [...tcpPorts, ...need.tcpPorts],
      udpPorts: need.udpPorts.length === 0 ? udpPorts : [...udpPorts, ...need.udpPorts],
    },
    runningTasksCount: c.runningTasksCount + 1,
    tasks: [...c.tasks, task],
  };
};

/**
 * `candidates` in ARN order (byArn; equal ARNs keep their order, as a stable
 * sort keeps them), as a new array. The scheduler reads them in that order
 * already, so one pass over the neighbours usually finds nothing to sort.
 */
export const sortedByArn = (candidates: readonly PlacementCandidate[]): PlacementCandidate[] => {
  const sorted = candidates.slice();
  for (let k = 1; k < sorted.length; k++) {
    if (sorted[k - 1]!.containerInstanceArn > sorted[k]!.containerInstanceArn) {
      return sorted.sort(byArn);
    }
  }
  return sorted;
};

const without = (ports: readonly number[], freed: readonly number[]): number[] => {
  const left = [...ports];
  for (const p of freed) {
    const at = left.indexOf(p);
    if (at !== -1) left.splice(at, 1);
  }
  return left;
};

/** The instance with the task gone: what it reserved (when known) given back. */
export const withoutTask = (c: PlacementCandidate, taskArn: string): PlacementCandidate => {
  const task = c.tasks.find((t) => t.taskArn === taskArn);
  if (!task) return c;
  const r = task.reserved;
  return {
    ...c,
    remaining: r
      ? {
          cpu: c.remaining.cpu + r.cpu,
          memory: c.remaining.memory + r.memory,
          tcpPorts: without(c.remaining.tcpPorts, r.tcpPorts),
          udpPorts: without(c.remaining.udpPorts, r.udpPorts),
        }
      : c.remaining,
    runningTasksCount: Math.max(0, c.runningTasksCount - 1),
    tasks: c.tasks.filter((t) => t !== task),
  };
};
