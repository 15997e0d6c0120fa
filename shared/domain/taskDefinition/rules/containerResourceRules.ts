/**
 * Container `cpu`, `memory` and `memoryReservation`, alone and against the task's size: without a
 * task-level memory each container needs a memory setting; a container never asks for more than
 * the task has; the containers together never reserve more than the task has.
 */
import { clientError } from "../../errors.js";
import type { ContainerDefinitionInput } from "../registerTaskDefinitionInput.js";
import { MIN_MEMORY_MIB } from "../taskSize.js";
import type { ContainerEntry, Rule } from "./validationContext.js";

type MemoryField = "memory" | "memoryReservation";

/** The memory a container takes from its instance or task: the soft limit if set, else the hard one. */
export const reservedMemory = (container: ContainerDefinitionInput): number =>
  container.memoryReservation ?? container.memory ?? 0;

const validateCpu = ({ name, definition }: ContainerEntry): void => {
  if (definition.cpu !== undefined && definition.cpu < 0) {
    throw clientError(
      `Invalid 'cpu' setting for container '${name}'. The value must be 0 or greater.`,
    );
  }
};

const validateMemoryMinimum = (entry: ContainerEntry, field: MemoryField): void => {
  const value = entry.definition[field];
  if (value !== undefined && value < MIN_MEMORY_MIB) {
    throw clientError(
      `Invalid '${field}' setting for container '${entry.name}'. The minimum is ${MIN_MEMORY_MIB} MiB.`,
    );
  }
};

const validateMemory = (entry: ContainerEntry, taskMemory: number | undefined): void => {
  const { name, definition } = entry;
  const { memory, memoryReservation } = definition;
  if (taskMemory === undefined && memory === undefined && memoryReservation === undefined) {
    throw clientError(
      `Invalid setting for container '${name}'. At least one of 'memory' or 'memoryReservation' must be specified.`,
    );
  }
  validateMemoryMinimum(entry, "memory");
  validateMemoryMinimum(entry, "memoryReservation");
  if (memory !== undefined && memoryReservation !== undefined && memoryReservation > memory) {
    throw clientError(
      `Invalid setting for container '${name}'. 'memory' must be greater than or equal to 'memoryReservation'.`,
    );
  }
  for (const field of ["memory", "memoryReservation"] as const) {
    const value = definition[field];
    if (taskMemory !== undefined && value !== undefined && value > taskMemory) {
      throw clientError(
        `The '${field}' setting for container '${name}' is greater than for the task.`,
      );
    }
  }
};

const sum = (values: readonly number[]): number =>
  values.reduce((total, value) => total + value, 0);

const validateTotals: Rule = ({ containers, taskCpu, taskMemory }) => {
  const definitions = containers.map(({ definition }) => definition);
  if (taskCpu !== undefined && sum(definitions.map((c) => c.cpu ?? 0)) > taskCpu) {
    throw clientError(
      "The sum of all container 'cpu' values cannot be greater than the value of the task 'cpu'.",
    );
  }
  if (taskMemory !== undefined && sum(definitions.map(reservedMemory)) > taskMemory) {
    throw clientError(
      "The sum of all container 'memoryReservation' values (or 'memory' where no reservation is set) " +
        "cannot be greater than the value of the task 'memory'.",
    );
  }
};

export const validateContainerResources: Rule = (context) => {
  for (const entry of context.containers) {
    validateCpu(entry);
    validateMemory(entry, context.taskMemory);
  }
  validateTotals(context);
};
