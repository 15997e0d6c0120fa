/**
 * Task-level `cpu` and `memory` arrive as strings in several forms: CPU as units ("256") or vCPUs
 * ("1 vCPU", "0.25 vcpu"), memory as MiB ("512") or GB ("1 GB", "2GB"). ECS stores and returns
 * them as integer strings in CPU units and MiB.
 */

export const CPU_UNITS_PER_VCPU = 1024;
export const MIB_PER_GB = 1024;

/** EC2 and EXTERNAL task CPU: 0.125 to 192 vCPUs. */
export const EC2_TASK_CPU_RANGE = { min: 128, max: 196_608 } as const;

/** Docker 20.10+ reserves 6 MiB for a container, so ECS asks for at least that much. */
export const MIN_MEMORY_MIB = 6;

const INTEGER = /^\d+$/;
const VCPU = /^(\d+(?:\.\d+)?|\.\d+)\s*vcpus?$/i;
const GIGABYTES = /^(\d+(?:\.\d+)?|\.\d+)\s*gi?b$/i;

const scaledInteger = (amount: string, factor: number): number | undefined => {
  const value = Number(amount) * factor;
  return Number.isSafeInteger(value) ? value : undefined;
};

const parseScaled = (text: string, suffixed: RegExp, factor: number): number | undefined => {
  const trimmed = text.trim();
  if (INTEGER.test(trimmed)) return scaledInteger(trimmed, 1);
  const match = suffixed.exec(trimmed);
  return match?.[1] === undefined ? undefined : scaledInteger(match[1], factor);
};

/** CPU units for "1024", "1 vCPU", "0.25 vcpu"; `undefined` when the text is not one of those forms. */
export const parseTaskCpu = (text: string): number | undefined =>
  parseScaled(text, VCPU, CPU_UNITS_PER_VCPU);

/** MiB for "512", "1 GB", "0.5GB"; `undefined` when the text is not one of those forms. */
export const parseTaskMemory = (text: string): number | undefined =>
  parseScaled(text, GIGABYTES, MIB_PER_GB);
