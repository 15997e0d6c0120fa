/**
 * A registered task definition as ECS describes it (`DescribeTaskDefinition`) and as Flotilla
 * stores it in events: the request with ECS's defaults filled in, plus the ARN, revision, status,
 * computed `compatibilities` and `requiresAttributes`, and who registered it when. Tags are not
 * part of it; ECS returns them separately.
 */
import { z } from "zod";
import { computeCompatibilities } from "./compatibilities.js";
import {
  Compatibility,
  containerDefinitionShape,
  int32,
  KeyValuePair,
  MountPoint,
  NetworkMode,
  PortMapping,
  SystemControl,
  TaskDefinitionPlacementConstraint,
  taskOptionsShape,
  TransportProtocol,
  Volume,
  VolumeFrom,
  type ContainerDefinitionInput,
  type RegisterTaskDefinitionInput,
} from "./registerTaskDefinitionInput.js";
import { requiredAttributes } from "./requiredAttributes.js";
import {
  DEFAULT_CONTAINER_CPU,
  effectiveHostPort,
  effectiveNetworkMode,
  effectiveProtocol,
  isEssential,
} from "./taskDefinitionDefaults.js";
import { parseTaskCpu, parseTaskMemory } from "./taskSize.js";

export const TaskDefinitionStatus = z.enum(["ACTIVE", "INACTIVE", "DELETE_IN_PROGRESS"]);
export type TaskDefinitionStatus = z.infer<typeof TaskDefinitionStatus>;

export const TaskDefinitionAttribute = z.strictObject({
  name: z.string(),
  value: z.string().optional(),
  targetType: z.enum(["container-instance"]).optional(),
  targetId: z.string().optional(),
});
export type TaskDefinitionAttribute = z.infer<typeof TaskDefinitionAttribute>;

/** A port mapping always has its protocol; `hostPort` is unset only for a port range. */
export const StoredPortMapping = PortMapping.extend({ protocol: TransportProtocol });
export type StoredPortMapping = z.infer<typeof StoredPortMapping>;

/** A container definition with the members ECS always returns made mandatory. */
export const ContainerDefinition = z.strictObject({
  ...containerDefinitionShape,
  name: z.string(),
  image: z.string(),
  cpu: int32,
  essential: z.boolean(),
  portMappings: z.array(StoredPortMapping),
  environment: z.array(KeyValuePair),
  mountPoints: z.array(MountPoint),
  volumesFrom: z.array(VolumeFrom),
  systemControls: z.array(SystemControl),
});
export type ContainerDefinition = z.infer<typeof ContainerDefinition>;

export const TaskDefinition = z.strictObject({
  taskDefinitionArn: z.string(),
  containerDefinitions: z.array(ContainerDefinition),
  family: z.string(),
  networkMode: NetworkMode,
  revision: z.number().int().positive(),
  volumes: z.array(Volume),
  status: TaskDefinitionStatus,
  requiresAttributes: z.array(TaskDefinitionAttribute),
  placementConstraints: z.array(TaskDefinitionPlacementConstraint),
  compatibilities: z.array(Compatibility),
  /** CPU units as an integer string, e.g. "1024" for "1 vCPU". */
  cpu: z.string().optional(),
  /** MiB as an integer string, e.g. "2048" for "2 GB". */
  memory: z.string().optional(),
  ...taskOptionsShape,
  /** Epoch seconds. */
  registeredAt: z.number(),
  registeredBy: z.string(),
  /** Epoch seconds; set when the revision is deregistered. */
  deregisteredAt: z.number().optional(),
  /** Epoch seconds; set when deletion of the (inactive) revision is requested. */
  deleteRequestedAt: z.number().optional(),
});
export type TaskDefinition = z.infer<typeof TaskDefinition>;

export interface TaskDefinitionRegistration {
  readonly arn: string;
  readonly revision: number;
  /** Epoch seconds. */
  readonly registeredAt: number;
  /** The ARN of the principal that registered it. */
  readonly registeredBy: string;
}

/** Drops members whose value is `undefined`, so stored events hold only what was set. */
const withoutUndefined = <T extends object>(value: T): T =>
  Object.fromEntries(Object.entries(value).filter(([, member]) => member !== undefined)) as T;

const normalisedSize = (
  text: string | undefined,
  parse: (text: string) => number | undefined,
): string | undefined => (text === undefined ? undefined : String(parse(text) ?? text));

const buildContainer = (
  container: ContainerDefinitionInput,
  networkMode: NetworkMode,
): ContainerDefinition =>
  withoutUndefined({
    ...container,
    name: container.name ?? "",
    image: container.image ?? "",
    cpu: container.cpu ?? DEFAULT_CONTAINER_CPU,
    portMappings: (container.portMappings ?? []).map((mapping) =>
      withoutUndefined({
        ...mapping,
        hostPort: effectiveHostPort(mapping, networkMode),
        protocol: effectiveProtocol(mapping),
      }),
    ),
    essential: isEssential(container),
    environment: container.environment ?? [],
    mountPoints: container.mountPoints ?? [],
    volumesFrom: container.volumesFrom ?? [],
    systemControls: container.systemControls ?? [],
  });

/**
 * The task definition ECS would store for a request that `validateTaskDefinition` accepted: ECS
 * defaults applied (network mode bridge, container cpu 0, essential true, tcp port mappings with
 * their host ports, empty lists), task cpu/memory normalised to CPU units and MiB, tags left out.
 */
export const buildTaskDefinition = (
  input: RegisterTaskDefinitionInput,
  registration: TaskDefinitionRegistration,
): TaskDefinition => {
  const networkMode = effectiveNetworkMode(input);
  return withoutUndefined({
    taskDefinitionArn: registration.arn,
    containerDefinitions: input.containerDefinitions.map((container) =>
      buildContainer(container, networkMode),
    ),
    family: input.family,
    taskRoleArn: input.taskRoleArn,
    executionRoleArn: input.executionRoleArn,
    networkMode,
    revision: registration.revision,
    volumes: input.volumes ?? [],
    status: "ACTIVE",
    requiresAttributes: requiredAttributes(input),
    placementConstraints: input.placementConstraints ?? [],
    compatibilities: computeCompatibilities(input),
    runtimePlatform: input.runtimePlatform,
    requiresCompatibilities: input.requiresCompatibilities,
    cpu: normalisedSize(input.cpu, parseTaskCpu),
    memory: normalisedSize(input.memory, parseTaskMemory),
    inferenceAccelerators: input.inferenceAccelerators,
    pidMode: input.pidMode,
    ipcMode: input.ipcMode,
    proxyConfiguration: input.proxyConfiguration,
    ephemeralStorage: input.ephemeralStorage,
    enableFaultInjection: input.enableFaultInjection,
    registeredAt: registration.registeredAt,
    registeredBy: registration.registeredBy,
  });
};

/**
 * The request that registers the same definition again (what `aws ecs describe-task-definition`
 * output turns into for a new revision): the stored definition without what ECS computes or
 * assigns. Tags are not part of a task definition, so they are not included.
 */
export const registerInputFromTaskDefinition = (
  definition: TaskDefinition,
): RegisterTaskDefinitionInput => {
  const {
    taskDefinitionArn: _arn,
    revision: _revision,
    status: _status,
    requiresAttributes: _attributes,
    compatibilities: _compatibilities,
    registeredAt: _registeredAt,
    registeredBy: _registeredBy,
    deregisteredAt: _deregisteredAt,
    deleteRequestedAt: _deleteRequestedAt,
    ...registerable
  } = definition;
  return registerable;
};
