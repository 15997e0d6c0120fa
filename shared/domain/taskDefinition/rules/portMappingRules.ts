/**
 * Port mappings: ports in range, a container port or a port range (never both), host ports that
 * match container ports in awsvpc and host mode, no port of a range mapped twice in a container,
 * unique mapping names, and no static host port used twice in the task.
 */
import { clientError } from "../../errors.js";
import type { NetworkMode, PortMapping } from "../registerTaskDefinitionInput.js";
import {
  effectiveHostPort,
  effectiveProtocol,
  hostPortFollowsContainerPort,
} from "../taskDefinitionDefaults.js";
import type { ContainerEntry, Rule } from "./validationContext.js";

export const MAX_PORT = 65_535;
export const MAX_PORT_RANGES_PER_CONTAINER = 100;

/** Up to 64 lowercase letters, numbers, underscores and hyphens; not starting with a hyphen. */
const PORT_MAPPING_NAME = /^[a-z0-9_][a-z0-9_-]{0,63}$/;
const PORT_RANGE = /^(\d{1,5})-(\d{1,5})$/;

interface PortSpan {
  readonly from: number;
  readonly to: number;
  readonly protocol: string;
  readonly isRange: boolean;
}

const invalidSetting = (field: string, container: string, detail: string) =>
  clientError(`Invalid '${field}' setting for container '${container}'. ${detail}`);

const isPort = (value: number, min: number): boolean => value >= min && value <= MAX_PORT;

/** "8000-8010" as a span, or `undefined` when malformed or out of range. */
export const parsePortRange = (text: string): { from: number; to: number } | undefined => {
  const match = PORT_RANGE.exec(text);
  if (match?.[1] === undefined || match[2] === undefined) return undefined;
  const from = Number(match[1]);
  const to = Number(match[2]);
  return isPort(from, 1) && isPort(to, 1) && from < to ? { from, to } : undefined;
};

const validateRangeMapping = (
  mapping: PortMapping,
  range: string,
  name: string,
  mode: NetworkMode,
): PortSpan => {
  if (mode !== "bridge" && mode !== "awsvpc") {
    throw clientError(
      `containerPortRange is not supported on container '${name}' when networkMode=${mode}.`,
    );
  }
  if (mapping.containerPort !== undefined) {
    throw invalidSetting(
      "containerPortRange",
      name,
      "Specify containerPort or containerPortRange, not both.",
    );
  }
  if (mapping.hostPort !== undefined) {
    throw invalidSetting(
      "hostPort",
      name,
      "Leave hostPort empty when you specify a containerPortRange.",
    );
  }
  const span = parsePortRange(range);
  if (span === undefined) {
    throw invalidSetting(
      "containerPortRange",
      name,
      `Use "first-last" with 1 <= first < last <= ${MAX_PORT}.`,
    );
  }
  return { ...span, protocol: effectiveProtocol(mapping), isRange: true };
};

const validateSingleMapping = (mapping: PortMapping, name: string, mode: NetworkMode): PortSpan => {
  const { containerPort, hostPort } = mapping;
  if (containerPort === undefined || !isPort(containerPort, 1)) {
    throw invalidSetting("containerPort", name, `Valid values are 1-${MAX_PORT}.`);
  }
  if (hostPort !== undefined && !isPort(hostPort, 0)) {
    throw invalidSetting("hostPort", name, `Valid values are 0-${MAX_PORT}.`);
  }
  if (hostPortFollowsContainerPort(mode) && hostPort !== undefined && hostPort !== containerPort) {
    throw clientError(
      `When networkMode=${mode}, the host ports and container ports in port mappings must match.`,
    );
  }
  return {
    from: containerPort,
    to: containerPort,
    protocol: effectiveProtocol(mapping),
    isRange: false,
  };
};

const validateMappingName = (mapping: PortMapping, name: string): void => {
  if (mapping.name !== undefined && !PORT_MAPPING_NAME.test(mapping.name)) {
    throw invalidSetting(
      "portMappings.name",
      name,
      "Use up to 64 lowercase letters, numbers, underscores and hyphens, not starting with a hyphen.",
    );
  }
};

/**
 * A port that a container port range shares with another mapping of the same container ("a port
 * can only be included in one port mapping per container"). Two single mappings of one container
 * port are allowed: bridge mode may publish it on several host ports.
 */
const overlappingSpan = (spans: readonly PortSpan[]): PortSpan | undefined => {
  const sorted = [...spans].sort((a, b) => a.protocol.localeCompare(b.protocol) || a.from - b.from);
  return sorted.find((span, i) => {
    const previous = sorted[i - 1];
    return (
      previous !== undefined &&
      (previous.isRange || span.isRange) &&
      previous.protocol === span.protocol &&
      span.from <= previous.to
    );
  });
};

const validateContainerMappings = (
  { name, definition }: ContainerEntry,
  mode: NetworkMode,
): void => {
  const mappings = definition.portMappings ?? [];
  const ranges = mappings.filter((mapping) => mapping.containerPortRange !== undefined);
  if (ranges.length > MAX_PORT_RANGES_PER_CONTAINER) {
    throw invalidSetting(
      "containerPortRange",
      name,
      `A container can have at most ${MAX_PORT_RANGES_PER_CONTAINER} port ranges.`,
    );
  }
  const spans = mappings.map((mapping) => {
    validateMappingName(mapping, name);
    const range = mapping.containerPortRange;
    return range === undefined
      ? validateSingleMapping(mapping, name, mode)
      : validateRangeMapping(mapping, range, name, mode);
  });
  const overlap = overlappingSpan(spans);
  if (overlap !== undefined) {
    throw invalidSetting(
      "portMappings",
      name,
      `Container port ${overlap.from}/${overlap.protocol} is included in more than one port mapping.`,
    );
  }
};

const validateUniqueHostPorts: Rule = ({ containers, networkMode }) => {
  const owners = new Map<string, string>();
  for (const { name, definition } of containers) {
    for (const mapping of definition.portMappings ?? []) {
      const hostPort = effectiveHostPort(mapping, networkMode);
      if (hostPort === undefined || hostPort === 0) continue;
      const key = `${hostPort}/${effectiveProtocol(mapping)}`;
      const owner = owners.get(key);
      if (owner !== undefined) {
        throw invalidSetting(
          "hostPort",
          name,
          `Host port ${key} is already mapped by container '${owner}' in this task definition.`,
        );
      }
      owners.set(key, name);
    }
  }
};

const validateUniqueMappingNames: Rule = ({ containers }) => {
  const seen = new Set<string>();
  for (const { name, definition } of containers) {
    for (const mapping of definition.portMappings ?? []) {
      if (mapping.name === undefined) continue;
      if (seen.has(mapping.name)) {
        throw invalidSetting(
          "portMappings.name",
          name,
          `Port mapping name '${mapping.name}' is used more than once in this task definition.`,
        );
      }
      seen.add(mapping.name);
    }
  }
};

export const validatePortMappings: Rule = (context) => {
  for (const container of context.containers)
    validateContainerMappings(container, context.networkMode);
  validateUniqueHostPorts(context);
  validateUniqueMappingNames(context);
};
