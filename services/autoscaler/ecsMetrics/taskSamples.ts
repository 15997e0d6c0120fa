import type { StatsReport } from "../../../shared/agent/protocol.js";

/** The latest usage an agent reported for one task, summed over its containers. */
export interface TaskSample {
  readonly receivedAtMs: number;
  /** The agent whose subject the report came on (`<prefix>.agent.<agentId>.stats`). */
  readonly reportedBy: string;
  /** The container instance the report claimed the task runs on. */
  readonly containerInstanceArn: string;
  /** ECS cpu units (1024 = one core), averaged over the agent's last interval. */
  readonly cpuUsed: number;
  readonly memoryUsed: number;
  /** Σ of the containers' reservations, for a task the projection gives none. */
  readonly cpuReservedByContainers: number;
  readonly memoryReservedByContainers: number;
}

export type TaskSamples = ReadonlyMap<string, TaskSample>;

/**
 * PURE: the samples after one agent's report, received at `receivedAtMs` from
 * agent `reportedBy` (latest wins). Whether that agent may speak for the task
 * is judged when the samples are used (utilizationRound), against the index.
 */
export const recordStatsReport = (
  samples: TaskSamples,
  report: StatsReport,
  receivedAtMs: number,
  reportedBy: string,
): TaskSamples => {
  const next = new Map(samples);
  for (const task of report.tasks) {
    let cpuUsed = 0;
    let memoryUsed = 0;
    let cpuReserved = 0;
    let memoryReserved = 0;
    for (const c of task.containers) {
      cpuUsed += finite(c.cpuUnitsUsed);
      memoryUsed += finite(c.memoryMiBUsed);
      cpuReserved += finite(c.cpuUnitsReserved);
      memoryReserved += finite(c.memoryMiBReserved);
    }
    next.set(task.taskArn, {
      receivedAtMs,
      reportedBy,
      containerInstanceArn: report.containerInstanceArn,
      cpuUsed,
      memoryUsed,
      cpuReservedByContainers: cpuReserved,
      memoryReservedByContainers: memoryReserved,
    });
  }
  return next;
};

/** PURE: drops the samples received before `oldestMs` (stopped tasks, silent agents). */
export const pruneSamples = (samples: TaskSamples, oldestMs: number): TaskSamples =>
  new Map([...samples].filter(([, s]) => s.receivedAtMs >= oldestMs));

/** A negative, NaN or infinite figure from an agent counts as 0, never poisons a sum. */
const finite = (n: number): number => (Number.isFinite(n) && n > 0 ? n : 0);
