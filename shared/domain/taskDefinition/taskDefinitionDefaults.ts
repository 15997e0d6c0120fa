/**
 * The defaults ECS applies to a registered task definition. Validation and `buildTaskDefinition`
 * both read them from here, so a rule and the stored value can never disagree.
 */
import type {
  ContainerDefinitionInput,
  NetworkMode,
  PortMapping,
  RuntimePlatform,
  TransportProtocol,
} from "./registerTaskDefinitionInput.js";

export const DEFAULT_NETWORK_MODE: NetworkMode = "bridge";
export const DEFAULT_PROTOCOL: TransportProtocol = "tcp";
export const DEFAULT_CONTAINER_CPU = 0;

export const effectiveNetworkMode = (input: { readonly networkMode?: NetworkMode }): NetworkMode =>
  input.networkMode ?? DEFAULT_NETWORK_MODE;

/** A container is essential unless it says otherwise. */
export const isEssential = (container: Pick<ContainerDefinitionInput, "essential">): boolean =>
  container.essential ?? true;

export const effectiveProtocol = (mapping: Pick<PortMapping, "protocol">): TransportProtocol =>
  mapping.protocol ?? DEFAULT_PROTOCOL;

/** In awsvpc and host mode the container port is the host port. */
export const hostPortFollowsContainerPort = (mode: NetworkMode): boolean =>
  mode === "awsvpc" || mode === "host";

/**
 * The host port ECS records for a mapping: the given one; else the container port in awsvpc and
 * host mode; else 0 (dynamic). A port range has no single host port, so it stays unset.
 */
export const effectiveHostPort = (mapping: PortMapping, mode: NetworkMode): number | undefined => {
  if (mapping.hostPort !== undefined) return mapping.hostPort;
  if (mapping.containerPortRange !== undefined) return undefined;
  return hostPortFollowsContainerPort(mode) ? mapping.containerPort : 0;
};

export const isWindowsPlatform = (platform: RuntimePlatform | undefined): boolean =>
  platform?.operatingSystemFamily?.startsWith("WINDOWS") ?? false;
