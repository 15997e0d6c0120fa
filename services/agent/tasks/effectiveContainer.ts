import type { ContainerDefinition } from "../../../shared/domain/taskDefinition/index.js";
import type { TaskOverride } from "../../../shared/events/index.js";

/**
 * A container definition with the task's container override applied, as ECS runs it:
 * `command`, `cpu`, `memory` and `memoryReservation` replace; `environment` merges by
 * name, the override winning.
 */
export const effectiveContainer = (
  definition: ContainerDefinition,
  overrides: TaskOverride,
): ContainerDefinition => {
  const override = overrides.containerOverrides?.find((o) => o.name === definition.name);
  if (!override) return definition;
  const environment = new Map<string, string | undefined>();
  for (const entry of definition.environment) {
    if (entry.name !== undefined) environment.set(entry.name, entry.value);
  }
  for (const entry of override.environment ?? []) environment.set(entry.name, entry.value);
  return {
    ...definition,
    ...(override.command !== undefined ? { command: override.command } : {}),
    ...(override.cpu !== undefined ? { cpu: override.cpu } : {}),
    ...(override.memory !== undefined ? { memory: override.memory } : {}),
    ...(override.memoryReservation !== undefined
      ? { memoryReservation: override.memoryReservation }
      : {}),
    environment: [...environment].map(([name, value]) => ({ name, value })),
  };
};
