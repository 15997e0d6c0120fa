import type { ContainerStats } from "../runtime/containerRuntime.js";

/**
 * CPU used between two samples, in ECS cpu units (1024 = one core): the container's share
 * of the host's CPU time times the online CPUs times 1024, as `docker stats` computes its
 * percentage. 0 when the host's counter did not move.
 */
export const cpuUnitsUsed = (previous: ContainerStats, current: ContainerStats): number => {
  const cpu = current.cpuNanos - previous.cpuNanos;
  const system = current.systemCpuNanos - previous.systemCpuNanos;
  if (!(system > 0) || !(cpu >= 0)) return 0;
  return (cpu / system) * current.onlineCpus * 1024;
};

export const MIB = 1024 * 1024;
