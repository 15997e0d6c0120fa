/**
 * The CPU / memory combinations Fargate accepts (ECS Developer Guide, "Task size"; the same table
 * is in the RegisterTaskDefinition `memory` documentation). Memory is in MiB.
 */

export interface FargateCpuOption {
  /** CPU units. */
  readonly cpu: number;
  /** Every memory value (MiB) allowed with this CPU. */
  readonly memory: readonly number[];
  /** Whether Windows containers on Fargate may use this CPU value. */
  readonly windows: boolean;
}

const GB = 1024;

const gigabyteSteps = (fromGb: number, toGb: number, stepGb: number): number[] => {
  const values: number[] = [];
  for (let gb = fromGb; gb <= toGb; gb += stepGb) values.push(gb * GB);
  return values;
};

export const FARGATE_TASK_SIZES: readonly FargateCpuOption[] = [
  { cpu: 256, memory: [512, 1 * GB, 2 * GB], windows: false },
  { cpu: 512, memory: gigabyteSteps(1, 4, 1), windows: false },
  { cpu: 1024, memory: gigabyteSteps(2, 8, 1), windows: true },
  { cpu: 2048, memory: gigabyteSteps(4, 16, 1), windows: true },
  { cpu: 4096, memory: gigabyteSteps(8, 30, 1), windows: true },
  { cpu: 8192, memory: gigabyteSteps(16, 60, 4), windows: false },
  { cpu: 16384, memory: gigabyteSteps(32, 120, 8), windows: false },
];

export const isValidFargateTaskSize = (
  cpu: number,
  memory: number,
  options: { readonly windows?: boolean } = {},
): boolean =>
  FARGATE_TASK_SIZES.some(
    (option) =>
      option.cpu === cpu &&
      option.memory.includes(memory) &&
      (options.windows !== true || option.windows),
  );
