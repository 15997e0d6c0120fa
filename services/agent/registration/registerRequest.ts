import type { RegisterRequest } from "../../../shared/agent/protocol.js";
import { DEFAULT_RESERVED_PORTS, resourcesFromCapacity } from "../../../shared/domain/resources.js";
import type { RuntimeInfo } from "../runtime/containerRuntime.js";
import { allowedAttributes, type HostAccessAllowances } from "../tasks/hostAccessPolicy.js";
import { CAPABILITY_ATTRIBUTES } from "./capabilityAttributes.js";

export interface RegistrationSettings extends HostAccessAllowances {
  readonly agentId: string;
  readonly cluster: string;
  readonly availabilityZone: string;
  readonly instanceType: string;
  /** CPU units to register instead of 1024 × cores. */
  readonly cpu?: number;
  /** MiB to register instead of the host's memory. */
  readonly memoryMiB?: number;
  readonly reservedCpu: number;
  readonly reservedMemoryMiB: number;
  readonly attributes: readonly { readonly name: string; readonly value?: string }[];
  readonly agentVersion: string;
}

/** ECS's spelling of the CPU architecture attribute. */
export const cpuArchitecture = (architecture: string): string => {
  const a = architecture.toLowerCase();
  if (a === "amd64" || a === "x86_64" || a === "x64") return "x86_64";
  if (a === "arm64" || a === "aarch64") return "arm64";
  return a;
};

/** Registered CPU units and MiB: the host's (or the configured) less the system's share. */
export const registeredCapacity = (
  info: Pick<RuntimeInfo, "cpus" | "memoryMiB">,
  settings: Pick<RegistrationSettings, "cpu" | "memoryMiB" | "reservedCpu" | "reservedMemoryMiB">,
): { cpu: number; memory: number } => ({
  cpu: Math.max(0, (settings.cpu ?? Math.round(info.cpus * 1024)) - settings.reservedCpu),
  memory: Math.max(
    0,
    (settings.memoryMiB ?? Math.floor(info.memoryMiB)) - settings.reservedMemoryMiB,
  ),
});

/** PURE: the RegisterRequest for this host. Custom attributes win over built-in ones. */
export const registerRequest = (
  info: RuntimeInfo,
  settings: RegistrationSettings,
): RegisterRequest => {
  const { cpu, memory } = registeredCapacity(info, settings);
  const attributes = new Map<string, string | undefined>();
  attributes.set("ecs.availability-zone", settings.availabilityZone);
  attributes.set("ecs.instance-type", settings.instanceType);
  attributes.set("ecs.os-type", info.os.toLowerCase());
  attributes.set("ecs.cpu-architecture", cpuArchitecture(info.architecture));
  attributes.set("com.flotilla.agent-version", settings.agentVersion);
  attributes.set("com.flotilla.docker-version", info.version);
  attributes.set("com.flotilla.runtime", info.runtime);
  for (const name of CAPABILITY_ATTRIBUTES) attributes.set(name, undefined);
  // What host access this agent allows: placement matches them to requiresAttributes.
  for (const name of allowedAttributes(settings)) attributes.set(name, undefined);
  for (const a of settings.attributes) attributes.set(a.name, a.value);
  return {
    agentId: settings.agentId,
    cluster: settings.cluster,
    availabilityZone: settings.availabilityZone,
    instanceType: settings.instanceType,
    totalResources: resourcesFromCapacity({
      cpu,
      memory,
      tcpPorts: [...DEFAULT_RESERVED_PORTS],
      udpPorts: [],
    }),
    attributes: [...attributes].map(([name, value]) =>
      value === undefined ? { name } : { name, value },
    ),
    versionInfo: { agentVersion: settings.agentVersion, dockerVersion: info.version },
  };
};
