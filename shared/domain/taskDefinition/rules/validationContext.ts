/** What every rule needs to know about a request, computed once. */
import type {
  ContainerDefinitionInput,
  NetworkMode,
  RegisterTaskDefinitionInput,
} from "../registerTaskDefinitionInput.js";
import { effectiveNetworkMode, isWindowsPlatform } from "../taskDefinitionDefaults.js";
import { parseTaskCpu, parseTaskMemory } from "../taskSize.js";

export interface ContainerEntry {
  readonly index: number;
  /** The container's name ("" until the container rules have refused a missing one). */
  readonly name: string;
  readonly definition: ContainerDefinitionInput;
}

export interface ValidationContext {
  readonly input: RegisterTaskDefinitionInput;
  readonly networkMode: NetworkMode;
  readonly requiresFargate: boolean;
  readonly requiresExternal: boolean;
  readonly windows: boolean;
  readonly containers: readonly ContainerEntry[];
  readonly containerNames: ReadonlySet<string>;
  readonly volumeNames: ReadonlySet<string>;
  /** Task CPU units, when given and well formed. */
  readonly taskCpu: number | undefined;
  /** Task memory in MiB, when given and well formed. */
  readonly taskMemory: number | undefined;
}

export type Rule = (context: ValidationContext) => void;

export const validationContext = (input: RegisterTaskDefinitionInput): ValidationContext => {
  const containers = input.containerDefinitions.map((definition, index) => ({
    index,
    name: definition.name ?? "",
    definition,
  }));
  const required = input.requiresCompatibilities ?? [];
  return {
    input,
    networkMode: effectiveNetworkMode(input),
    requiresFargate: required.includes("FARGATE"),
    requiresExternal: required.includes("EXTERNAL"),
    windows: isWindowsPlatform(input.runtimePlatform),
    containers,
    containerNames: new Set(containers.map((container) => container.name)),
    volumeNames: new Set((input.volumes ?? []).flatMap((volume) => volume.name ?? [])),
    taskCpu: input.cpu === undefined ? undefined : parseTaskCpu(input.cpu),
    taskMemory: input.memory === undefined ? undefined : parseTaskMemory(input.memory),
  };
};
