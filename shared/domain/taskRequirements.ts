import { EcsError } from "./errors.js";
import type { Capacity } from "./resources.js";
import { parseTaskCpu, parseTaskMemory, type TaskDefinition } from "./taskDefinition/index.js";

export interface TaskSizeOverrides {
  readonly cpu?: string | undefined;
  readonly memory?: string | undefined;
  readonly containerOverrides?: readonly {
    readonly name?: string | undefined;
    readonly cpu?: number | undefined;
    readonly memory?: number | undefined;
    readonly memoryReservation?: number | undefined;
  }[];
}

/**
 * What a task reserves on a container instance, as ECS accounts it: the task's
 * cpu/memory when set at task level, else the sum over its containers (a
 * container's memoryReservation when set, else its hard limit); and every
 * static host port (not for awsvpc, where each task has its own network).
 */
export const taskRequirements = (
  td: TaskDefinition,
  overrides: TaskSizeOverrides = {},
): Capacity => {
  const containers = td.containerDefinitions.map((c) => {
    const o = overrides.containerOverrides?.find((x) => x.name === c.name);
    return {
      cpu: o?.cpu ?? c.cpu ?? 0,
      memory: o?.memory ?? c.memory,
      memoryReservation: o?.memoryReservation ?? c.memoryReservation,
      portMappings: c.portMappings ?? [],
    };
  });
  const taskCpu = size(overrides.cpu ?? td.cpu, parseTaskCpu, "overrides.cpu");
  const taskMemory = size(overrides.memory ?? td.memory, parseTaskMemory, "overrides.memory");
  const cpu = taskCpu ?? containers.reduce((sum, c) => sum + c.cpu, 0);
  const memory =
    taskMemory ?? containers.reduce((sum, c) => sum + (c.memoryReservation ?? c.memory ?? 0), 0);
  const tcpPorts: number[] = [];
  const udpPorts: number[] = [];
  if (td.networkMode !== "awsvpc") {
    for (const c of containers) {
      for (const m of c.portMappings) {
        const host = td.networkMode === "host" ? m.containerPort : m.hostPort;
        if (!host) continue;
        (m.protocol === "udp" ? udpPorts : tcpPorts).push(host);
      }
    }
  }
  return { cpu, memory, tcpPorts, udpPorts };
};

/** A task size in units or MiB ("1024", "1 vCPU", "2 GB"); bad text names the field. */
const size = (
  text: string | undefined,
  parse: (text: string) => number | undefined,
  field: string,
): number | undefined => {
  if (text === undefined) return undefined;
  const value = parse(text);
  if (value === undefined || !Number.isInteger(value) || value < 0) {
    throw new EcsError("InvalidParameterException", `${field}: '${text}' is not a valid size.`);
  }
  return value;
};

/** Why a task does not fit, in ECS's words ("insufficient memory available"), or undefined. */
export const misfit = (need: Capacity, remaining: Capacity): string | undefined => {
  if (need.cpu > remaining.cpu) return "has insufficient CPU units available";
  if (need.memory > remaining.memory) return "has insufficient memory available";
  const tcp = new Set(remaining.tcpPorts);
  const udp = new Set(remaining.udpPorts);
  if (need.tcpPorts.some((p) => tcp.has(p)) || need.udpPorts.some((p) => udp.has(p))) {
    return "is already using a port required by your task";
  }
  return undefined;
};
