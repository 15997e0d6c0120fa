/**
 * The shape of an ECS `RegisterTaskDefinition` request body as the AWS JSON 1.1 protocol sends it
 * (camelCase member names exactly as ECS spells them). This schema checks types and enum values
 * only; ECS's own business rules live in `validateTaskDefinition.ts`.
 *
 * Every object is strict: an unknown member is refused with a message naming it, so a typo such as
 * `containerDefinitions[0].imagee` is reported instead of silently ignored.
 */
import { z } from "zod";
import { ecsErrorFromZodIssues } from "./zodIssueToEcsError.js";

/** AWS "Integer" members are 32-bit signed integers. */
export const int32 = z.int32();
const stringList = z.array(z.string());
const stringMap = z.record(z.string(), z.string());

export const NetworkMode = z.enum(["bridge", "host", "awsvpc", "none"]);
export type NetworkMode = z.infer<typeof NetworkMode>;

export const Compatibility = z.enum(["EC2", "FARGATE", "EXTERNAL"]);
export type Compatibility = z.infer<typeof Compatibility>;

export const TransportProtocol = z.enum(["tcp", "udp"]);
export type TransportProtocol = z.infer<typeof TransportProtocol>;

export const ContainerCondition = z.enum(["START", "COMPLETE", "SUCCESS", "HEALTHY"]);
export type ContainerCondition = z.infer<typeof ContainerCondition>;

/** The log drivers ECS accepts in `logConfiguration.logDriver`. */
export const LogDriver = z.enum([
  "json-file",
  "syslog",
  "journald",
  "gelf",
  "fluentd",
  "awslogs",
  "splunk",
  "awsfirelens",
]);
export type LogDriver = z.infer<typeof LogDriver>;

/** Docker's ulimit names, as ECS lists them. */
export const UlimitName = z.enum([
  "core",
  "cpu",
  "data",
  "fsize",
  "locks",
  "memlock",
  "msgqueue",
  "nice",
  "nofile",
  "nproc",
  "rss",
  "rtprio",
  "rttime",
  "sigpending",
  "stack",
]);
export type UlimitName = z.infer<typeof UlimitName>;

export const PidMode = z.enum(["host", "task"]);
export const IpcMode = z.enum(["host", "task", "none"]);
export const CpuArchitecture = z.enum(["X86_64", "ARM64"]);
export const OperatingSystemFamily = z.enum([
  "LINUX",
  "WINDOWS_SERVER_2004_CORE",
  "WINDOWS_SERVER_2016_FULL",
  "WINDOWS_SERVER_2019_CORE",
  "WINDOWS_SERVER_2019_FULL",
  "WINDOWS_SERVER_2022_CORE",
  "WINDOWS_SERVER_2022_FULL",
  "WINDOWS_SERVER_2025_CORE",
  "WINDOWS_SERVER_2025_FULL",
  "WINDOWS_SERVER_20H2_CORE",
]);

// ---- container definition parts ------------------------------------------------------------

export const KeyValuePair = z.strictObject({
  name: z.string().optional(),
  value: z.string().optional(),
});
export type KeyValuePair = z.infer<typeof KeyValuePair>;

export const PortMapping = z.strictObject({
  containerPort: int32.optional(),
  hostPort: int32.optional(),
  protocol: TransportProtocol.optional(),
  name: z.string().optional(),
  appProtocol: z.enum(["http", "http2", "grpc"]).optional(),
  containerPortRange: z.string().optional(),
});
export type PortMapping = z.infer<typeof PortMapping>;

export const ContainerRestartPolicy = z.strictObject({
  enabled: z.boolean(),
  ignoredExitCodes: z.array(int32).optional(),
  restartAttemptPeriod: int32.optional(),
});

export const EnvironmentFile = z.strictObject({
  value: z.string(),
  type: z.enum(["s3"]),
});

export const MountPoint = z.strictObject({
  sourceVolume: z.string().optional(),
  containerPath: z.string().optional(),
  readOnly: z.boolean().optional(),
});
export type MountPoint = z.infer<typeof MountPoint>;

export const VolumeFrom = z.strictObject({
  sourceContainer: z.string().optional(),
  readOnly: z.boolean().optional(),
});
export type VolumeFrom = z.infer<typeof VolumeFrom>;

export const LinuxParameters = z.strictObject({
  capabilities: z
    .strictObject({
      add: stringList.optional(),
      drop: stringList.optional(),
    })
    .optional(),
  devices: z
    .array(
      z.strictObject({
        hostPath: z.string(),
        containerPath: z.string().optional(),
        permissions: z.array(z.enum(["read", "write", "mknod"])).optional(),
      }),
    )
    .optional(),
  initProcessEnabled: z.boolean().optional(),
  sharedMemorySize: int32.optional(),
  tmpfs: z
    .array(
      z.strictObject({
        containerPath: z.string(),
        size: int32,
        mountOptions: stringList.optional(),
      }),
    )
    .optional(),
  maxSwap: int32.optional(),
  swappiness: int32.optional(),
});

export const Secret = z.strictObject({
  name: z.string(),
  valueFrom: z.string(),
});

export const ContainerDependency = z.strictObject({
  containerName: z.string(),
  condition: ContainerCondition,
});
export type ContainerDependency = z.infer<typeof ContainerDependency>;

export const HostEntry = z.strictObject({
  hostname: z.string(),
  ipAddress: z.string(),
});

export const Ulimit = z.strictObject({
  name: UlimitName,
  softLimit: int32,
  hardLimit: int32,
});
export type Ulimit = z.infer<typeof Ulimit>;

export const LogConfiguration = z.strictObject({
  logDriver: LogDriver,
  options: stringMap.optional(),
  secretOptions: z.array(Secret).optional(),
});
export type LogConfiguration = z.infer<typeof LogConfiguration>;

export const HealthCheck = z.strictObject({
  command: stringList,
  interval: int32.optional(),
  timeout: int32.optional(),
  retries: int32.optional(),
  startPeriod: int32.optional(),
});
export type HealthCheck = z.infer<typeof HealthCheck>;

export const SystemControl = z.strictObject({
  namespace: z.string().optional(),
  value: z.string().optional(),
});

export const ResourceRequirement = z.strictObject({
  value: z.string().optional(),
  type: z.enum(["GPU", "InferenceAccelerator", "NeuronDevice"]),
});

export const FirelensConfiguration = z.strictObject({
  type: z.enum(["fluentd", "fluentbit"]),
  options: stringMap.optional(),
});

/**
 * The members of a container definition. Kept as a plain shape so the stored `TaskDefinition`
 * can reuse it with ECS's defaults made mandatory.
 */
export const containerDefinitionShape = {
  name: z.string().optional(),
  image: z.string().optional(),
  repositoryCredentials: z.strictObject({ credentialsParameter: z.string() }).optional(),
  cpu: int32.optional(),
  memory: int32.optional(),
  memoryReservation: int32.optional(),
  links: stringList.optional(),
  portMappings: z.array(PortMapping).optional(),
  essential: z.boolean().optional(),
  restartPolicy: ContainerRestartPolicy.optional(),
  entryPoint: stringList.optional(),
  command: stringList.optional(),
  environment: z.array(KeyValuePair).optional(),
  environmentFiles: z.array(EnvironmentFile).optional(),
  mountPoints: z.array(MountPoint).optional(),
  volumesFrom: z.array(VolumeFrom).optional(),
  linuxParameters: LinuxParameters.optional(),
  secrets: z.array(Secret).optional(),
  dependsOn: z.array(ContainerDependency).optional(),
  startTimeout: int32.optional(),
  stopTimeout: int32.optional(),
  versionConsistency: z.enum(["enabled", "disabled"]).optional(),
  hostname: z.string().optional(),
  user: z.string().optional(),
  workingDirectory: z.string().optional(),
  disableNetworking: z.boolean().optional(),
  privileged: z.boolean().optional(),
  readonlyRootFilesystem: z.boolean().optional(),
  dnsServers: stringList.optional(),
  dnsSearchDomains: stringList.optional(),
  extraHosts: z.array(HostEntry).optional(),
  dockerSecurityOptions: stringList.optional(),
  interactive: z.boolean().optional(),
  pseudoTerminal: z.boolean().optional(),
  dockerLabels: stringMap.optional(),
  ulimits: z.array(Ulimit).optional(),
  logConfiguration: LogConfiguration.optional(),
  healthCheck: HealthCheck.optional(),
  systemControls: z.array(SystemControl).optional(),
  resourceRequirements: z.array(ResourceRequirement).optional(),
  firelensConfiguration: FirelensConfiguration.optional(),
  credentialSpecs: stringList.optional(),
};

export const ContainerDefinitionInput = z.strictObject(containerDefinitionShape);
export type ContainerDefinitionInput = z.infer<typeof ContainerDefinitionInput>;

// ---- task-level parts ----------------------------------------------------------------------

export const Volume = z.strictObject({
  name: z.string().optional(),
  host: z.strictObject({ sourcePath: z.string().optional() }).optional(),
  dockerVolumeConfiguration: z
    .strictObject({
      scope: z.enum(["task", "shared"]).optional(),
      autoprovision: z.boolean().optional(),
      driver: z.string().optional(),
      driverOpts: stringMap.optional(),
      labels: stringMap.optional(),
    })
    .optional(),
  efsVolumeConfiguration: z
    .strictObject({
      fileSystemId: z.string(),
      rootDirectory: z.string().optional(),
      transitEncryption: z.enum(["ENABLED", "DISABLED"]).optional(),
      transitEncryptionPort: int32.optional(),
      authorizationConfig: z
        .strictObject({
          accessPointId: z.string().optional(),
          iam: z.enum(["ENABLED", "DISABLED"]).optional(),
        })
        .optional(),
    })
    .optional(),
  fsxWindowsFileServerVolumeConfiguration: z
    .strictObject({
      fileSystemId: z.string(),
      rootDirectory: z.string(),
      authorizationConfig: z.strictObject({
        credentialsParameter: z.string(),
        domain: z.string(),
      }),
    })
    .optional(),
  configuredAtLaunch: z.boolean().optional(),
});
export type Volume = z.infer<typeof Volume>;

export const TaskDefinitionPlacementConstraint = z.strictObject({
  type: z.enum(["memberOf"]).optional(),
  expression: z.string().optional(),
});

/** ECS models `key` as optional, but a tag without a key is meaningless; we require it. */
export const Tag = z.strictObject({
  key: z.string(),
  value: z.string().optional(),
});
export type Tag = z.infer<typeof Tag>;

export const ProxyConfiguration = z.strictObject({
  type: z.enum(["APPMESH"]).optional(),
  containerName: z.string(),
  properties: z.array(KeyValuePair).optional(),
});

export const InferenceAccelerator = z.strictObject({
  deviceName: z.string(),
  deviceType: z.string(),
});

export const EphemeralStorage = z.strictObject({ sizeInGiB: int32 });

export const RuntimePlatform = z.strictObject({
  cpuArchitecture: CpuArchitecture.optional(),
  operatingSystemFamily: OperatingSystemFamily.optional(),
});
export type RuntimePlatform = z.infer<typeof RuntimePlatform>;

/**
 * The task-level members a stored task definition shares with the request (everything except
 * `family`, `containerDefinitions`, `tags` and the size strings, which the stored form changes).
 */
export const taskOptionsShape = {
  taskRoleArn: z.string().optional(),
  executionRoleArn: z.string().optional(),
  requiresCompatibilities: z.array(Compatibility).optional(),
  pidMode: PidMode.optional(),
  ipcMode: IpcMode.optional(),
  proxyConfiguration: ProxyConfiguration.optional(),
  inferenceAccelerators: z.array(InferenceAccelerator).optional(),
  ephemeralStorage: EphemeralStorage.optional(),
  runtimePlatform: RuntimePlatform.optional(),
  enableFaultInjection: z.boolean().optional(),
};

export const RegisterTaskDefinitionInput = z.strictObject({
  family: z.string(),
  networkMode: NetworkMode.optional(),
  containerDefinitions: z.array(ContainerDefinitionInput),
  volumes: z.array(Volume).optional(),
  placementConstraints: z.array(TaskDefinitionPlacementConstraint).optional(),
  cpu: z.string().optional(),
  memory: z.string().optional(),
  tags: z.array(Tag).optional(),
  ...taskOptionsShape,
});
export type RegisterTaskDefinitionInput = z.infer<typeof RegisterTaskDefinitionInput>;

/**
 * AWS JSON services treat a member sent as `null` as absent; so do we. Only object members are
 * dropped: a `null` inside an array is still a type error.
 */
const withoutNullMembers = (value: unknown): unknown => {
  if (Array.isArray(value)) return value.map(withoutNullMembers);
  if (value === null || typeof value !== "object") return value;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, member]) => member !== null)
    .map(([key, member]) => [key, withoutNullMembers(member)] as const);
  return Object.fromEntries(entries);
};

/**
 * Parses a request body into a typed `RegisterTaskDefinitionInput`, or throws an `EcsError` whose
 * message names the offending field path (e.g. `containerDefinitions[0].portMappings[1].containerPort`).
 * The zod error itself never leaves this function.
 */
export const parseRegisterTaskDefinitionInput = (body: unknown): RegisterTaskDefinitionInput => {
  const cleaned = withoutNullMembers(body);
  const result = RegisterTaskDefinitionInput.safeParse(cleaned);
  if (result.success) return result.data;
  throw ecsErrorFromZodIssues(result.error.issues, cleaned);
};
