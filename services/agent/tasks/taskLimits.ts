import type { ManifestTask } from "../../../shared/agent/protocol.js";
import { parseTaskCpu, parseTaskMemory } from "../../../shared/domain/taskDefinition/taskSize.js";

/**
 * Task-level CPU and memory (ECS `cpu` / `memory` of the task definition, or of the task's
 * overrides), enforced on the whole task through a cgroup all its containers run under
 * (docs/fargate.md, "Task-level limits"). PURE: the values; taskCgroups.ts writes them.
 */
export interface TaskLimits {
  /** MiB the whole task may use. */
  readonly memoryMiB?: number;
  /** ECS CPU units (1024 = one core) the whole task may use. */
  readonly cpuUnits?: number;
}

/** The task's limits, or undefined when it sets neither (its containers keep their own). */
export const taskLimitsOf = (
  task: Pick<ManifestTask, "taskDefinition" | "overrides">,
): TaskLimits | undefined => {
  const memoryText = task.overrides.memory ?? task.taskDefinition.memory;
  const cpuText = task.overrides.cpu ?? task.taskDefinition.cpu;
  const memoryMiB = memoryText === undefined ? undefined : parseTaskMemory(memoryText);
  const cpuUnits = cpuText === undefined ? undefined : parseTaskCpu(cpuText);
  const limits: TaskLimits = {
    ...(memoryMiB !== undefined && memoryMiB > 0 ? { memoryMiB } : {}),
    ...(cpuUnits !== undefined && cpuUnits > 0 ? { cpuUnits } : {}),
  };
  return limits.memoryMiB === undefined && limits.cpuUnits === undefined ? undefined : limits;
};

/** The CFS period the task's CPU quota is measured over (the kernel's default, 100 ms). */
export const CFS_PERIOD_US = 100_000;
/** The kernel refuses quotas below 1 ms. */
const MIN_CFS_QUOTA_US = 1_000;

/** cpu units → microseconds of CPU per CFS period: 1024 units = one core = the whole period. */
export const cfsQuotaUs = (cpuUnits: number): number =>
  Math.max(MIN_CFS_QUOTA_US, Math.round((cpuUnits / 1024) * CFS_PERIOD_US));

const bytes = (mib: number): string => String(mib * 1024 * 1024);

/**
 * cgroup v1: file → value, per controller, in the order to write them (the memory limit
 * before memory+swap, which may not be below it; swap equal to memory means no swap).
 */
export const cgroupV1Files = (
  limits: TaskLimits,
): { readonly controller: "memory" | "cpu"; readonly file: string; readonly value: string }[] => [
  ...(limits.memoryMiB !== undefined
    ? [
        {
          controller: "memory" as const,
          file: "memory.limit_in_bytes",
          value: bytes(limits.memoryMiB),
        },
        {
          controller: "memory" as const,
          file: "memory.memsw.limit_in_bytes",
          value: bytes(limits.memoryMiB),
        },
      ]
    : []),
  ...(limits.cpuUnits !== undefined
    ? [
        { controller: "cpu" as const, file: "cpu.cfs_period_us", value: String(CFS_PERIOD_US) },
        {
          controller: "cpu" as const,
          file: "cpu.cfs_quota_us",
          value: String(cfsQuotaUs(limits.cpuUnits)),
        },
        {
          controller: "cpu" as const,
          file: "cpu.shares",
          value: String(Math.max(2, limits.cpuUnits)),
        },
      ]
    : []),
];

/** cgroup v2: file → value in the task's (unified) cgroup. */
export const cgroupV2Files = (
  limits: TaskLimits,
): { readonly file: string; readonly value: string }[] => [
  ...(limits.memoryMiB !== undefined
    ? [
        { file: "memory.max", value: bytes(limits.memoryMiB) },
        { file: "memory.swap.max", value: "0" },
      ]
    : []),
  ...(limits.cpuUnits !== undefined
    ? [{ file: "cpu.max", value: `${cfsQuotaUs(limits.cpuUnits)} ${CFS_PERIOD_US}` }]
    : []),
];

/**
 * Processes the kernel's OOM killer killed in the cgroup: the `oom_kill` line of
 * `memory.oom_control` (v1: this cgroup's own kills only) or of `memory.events` (v2: its
 * whole subtree). 0 when there is none.
 */
export const oomKillsIn = (text: string): number => {
  const match = /^oom_kill\s+(\d+)\s*$/m.exec(text);
  return match ? Number(match[1]) : 0;
};

/**
 * cgroup v1's evidence of OOM kills in a task's cgroup. Its `oom_kill` counts only kills of
 * the cgroup's own processes, and the container's cgroup below it (where the kill is
 * counted) is gone once the container exited; its `failcnt` is not kept reliably either.
 * So, as well: the task's peak usage reached its limit — the state in which the kernel
 * OOM-kills inside it. Returns at least 1 then.
 */
export const v1OomEvidence = (files: {
  readonly oomControl: string;
  readonly maxUsageBytes: string;
  readonly limitBytes: string;
}): number => {
  const kills = oomKillsIn(files.oomControl);
  if (kills > 0) return kills;
  const peak = Number(files.maxUsageBytes.trim());
  const limit = Number(files.limitBytes.trim());
  return Number.isFinite(limit) && Number.isFinite(peak) && peak >= limit ? 1 : 0;
};
