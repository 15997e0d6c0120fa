/**
 * What Fargate needs from a task definition. `fargateIncompatibility` says why a definition cannot
 * run on Fargate (or `undefined` when it can); validation throws it when `requiresCompatibilities`
 * asks for FARGATE, and `buildTaskDefinition` uses it to compute `compatibilities`.
 */
import { clientError, type EcsError } from "../../errors.js";
import { isValidFargateTaskSize } from "../fargateTaskSizes.js";
import type {
  ContainerDefinitionInput,
  LogDriver,
  RegisterTaskDefinitionInput,
} from "../registerTaskDefinitionInput.js";
import { effectiveNetworkMode, isWindowsPlatform } from "../taskDefinitionDefaults.js";
import { parseTaskCpu, parseTaskMemory } from "../taskSize.js";
import type { Rule } from "./validationContext.js";

export const FARGATE_LOG_DRIVERS: readonly LogDriver[] = ["awslogs", "splunk", "awsfirelens"];
export const FARGATE_TIMEOUT_RANGE = { min: 2, max: 120 } as const;

const unsupportedOnFargate = (container: string, field: string): EcsError =>
  clientError(
    `Invalid setting for container '${container}'. Tasks using the Fargate launch type do not support '${field}'.`,
  );

const taskSizeIncompatibility = (input: RegisterTaskDefinitionInput): EcsError | undefined => {
  if (input.cpu === undefined) {
    return clientError("Fargate requires that 'cpu' be defined at the task level.");
  }
  if (input.memory === undefined) {
    return clientError("Fargate requires that 'memory' be defined at the task level.");
  }
  const cpu = parseTaskCpu(input.cpu);
  const memory = parseTaskMemory(input.memory);
  if (cpu === undefined) return clientError("Invalid 'cpu' setting for task.");
  if (memory === undefined) return clientError("Invalid 'memory' setting for task.");
  if (!isValidFargateTaskSize(cpu, memory, { windows: isWindowsPlatform(input.runtimePlatform) })) {
    return clientError(
      `No Fargate configuration exists for given values: ${cpu} CPU, ${memory} memory. ` +
        "See the Amazon ECS documentation for the valid values.",
    );
  }
  return undefined;
};

const timeoutOutOfRange = (value: number | undefined): boolean =>
  value !== undefined && (value < FARGATE_TIMEOUT_RANGE.min || value > FARGATE_TIMEOUT_RANGE.max);

/** The first container setting Fargate refuses, by its field name. */
const unsupportedContainerField = (container: ContainerDefinitionInput): string | undefined => {
  const linux = container.linuxParameters;
  if (container.privileged === true) return "privileged";
  if ((container.dockerSecurityOptions?.length ?? 0) > 0) return "dockerSecurityOptions";
  if ((linux?.devices?.length ?? 0) > 0) return "linuxParameters.devices";
  if (linux?.sharedMemorySize !== undefined) return "linuxParameters.sharedMemorySize";
  if (linux?.maxSwap !== undefined) return "linuxParameters.maxSwap";
  if (linux?.swappiness !== undefined) return "linuxParameters.swappiness";
  return undefined;
};

const containerIncompatibility = (container: ContainerDefinitionInput): EcsError | undefined => {
  const name = container.name ?? "";
  const field = unsupportedContainerField(container);
  if (field !== undefined) return unsupportedOnFargate(name, field);
  const driver = container.logConfiguration?.logDriver;
  if (driver !== undefined && !FARGATE_LOG_DRIVERS.includes(driver)) {
    return clientError(
      `Invalid 'logConfiguration.logDriver' setting for container '${name}'. ` +
        `${driver} is not a valid log driver for Fargate. Must be one of [${FARGATE_LOG_DRIVERS.join(",")}].`,
    );
  }
  for (const field of ["startTimeout", "stopTimeout"] as const) {
    if (timeoutOutOfRange(container[field])) {
      return clientError(
        `Invalid '${field}' setting for container '${name}'. The valid values for Fargate are ` +
          `${FARGATE_TIMEOUT_RANGE.min}-${FARGATE_TIMEOUT_RANGE.max} seconds.`,
      );
    }
  }
  return undefined;
};

const volumeIncompatibility = (input: RegisterTaskDefinitionInput): EcsError | undefined => {
  for (const volume of input.volumes ?? []) {
    if (volume.dockerVolumeConfiguration !== undefined) {
      return clientError(
        `Invalid setting for volume '${volume.name ?? ""}'. Tasks using the Fargate launch type do not support 'dockerVolumeConfiguration'.`,
      );
    }
    if (volume.host?.sourcePath !== undefined) {
      return clientError(
        `Invalid setting for volume '${volume.name ?? ""}'. Tasks using the Fargate launch type do not support 'host.sourcePath'.`,
      );
    }
  }
  return undefined;
};

const taskOptionIncompatibility = (input: RegisterTaskDefinitionInput): EcsError | undefined => {
  if (input.ipcMode !== undefined) {
    return clientError("Tasks using the Fargate launch type do not support ipcMode.");
  }
  if (input.pidMode === "host") {
    return clientError("Tasks using the Fargate launch type only support pidMode 'task'.");
  }
  return undefined;
};

export const fargateIncompatibility = (
  input: RegisterTaskDefinitionInput,
): EcsError | undefined => {
  if (effectiveNetworkMode(input) !== "awsvpc") {
    return clientError("Fargate only supports network mode \u2018awsvpc\u2019.");
  }
  return (
    taskSizeIncompatibility(input) ??
    taskOptionIncompatibility(input) ??
    input.containerDefinitions.map(containerIncompatibility).find((error) => error !== undefined) ??
    volumeIncompatibility(input)
  );
};

export const validateFargate: Rule = ({ input, requiresFargate }) => {
  if (!requiresFargate) return;
  const error = fargateIncompatibility(input);
  if (error !== undefined) throw error;
};
