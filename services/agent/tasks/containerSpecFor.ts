import type { ManifestTask } from "../../../shared/agent/protocol.js";
import type { ContainerDefinition } from "../../../shared/domain/taskDefinition/index.js";
import type {
  ContainerSpec,
  HealthCheckSpec,
  MountSpec,
  NetworkSpec,
  PortBindingSpec,
} from "../runtime/containerRuntime.js";
import { effectiveContainer } from "./effectiveContainer.js";
import { hostAccessRefusal, type HostAccessAllowances } from "./hostAccessPolicy.js";
import { awslogsLabels } from "../logs/awslogsLabels.js";
import {
  credentialsEnvironment,
  type TaskCredentialsSettings,
} from "../credentials/credentialsEnvironment.js";
import {
  LABEL,
  PAUSE_ROLE,
  pauseContainerName,
  runtimeContainerName,
  taskNetworkName,
  taskVolumeName,
} from "./labels.js";
import { DEFAULT_PAUSE_IMAGE } from "../runtime/pauseImage.js";

/** What the mapping needs from the agent's configuration. */
export interface SpecSettings extends HostAccessAllowances {
  readonly agentId: string;
  /** Host address ports are published on (FLOTILLA_AGENT_BIND_ADDRESS). */
  readonly bindAddress: string;
  /** Hard memory limit (MiB) of a container when neither it nor its task sets `memory`. */
  readonly defaultMemoryMiB: number;
  /** Most processes (and threads) one container may run (FLOTILLA_AGENT_CONTAINER_PIDS_LIMIT). */
  readonly pidsLimit: number;
  /** Seconds between SIGTERM and SIGKILL when the container sets no `stopTimeout`. */
  readonly defaultStopTimeoutSeconds: number;
  /** The container credentials endpoint for task roles, when the agent serves one. */
  readonly taskCredentials?: TaskCredentialsSettings;
  /** The image of awsvpc tasks' pause containers (FLOTILLA_PAUSE_IMAGE); flotilla/pause:1. */
  readonly pauseImage?: string;
}

/** Where the task's containers run: its cgroup, when the runtime made one (task-level limits). */
export interface TaskPlacement {
  readonly cgroupParent?: string;
}

/** The task cgroup as a label: an agent restarted with no memory finds it on the containers. */
const cgroupLabel = (placement: TaskPlacement): Record<string, string> =>
  placement.cgroupParent !== undefined ? { [LABEL.cgroupParent]: placement.cgroupParent } : {};

/** A spec, or why the container cannot be created (an ECS container `reason`). */
export type SpecResult =
  | { readonly ok: true; readonly spec: ContainerSpec }
  | { readonly ok: false; readonly reason: string };

/** ECS's health check defaults (seconds). */
export const HEALTH_CHECK_DEFAULTS = {
  interval: 30,
  timeout: 5,
  retries: 3,
  startPeriod: 0,
} as const;

/** Docker refuses CPU shares below 2; 0 leaves the engine's default (1024). */
export const cpuSharesFor = (cpuUnits: number): number =>
  cpuUnits <= 0 ? 0 : Math.max(2, cpuUnits);

/**
 * The container's hard memory limit, always set: its own `memory`, else the task's, else the
 * agent's default; never below its `memoryReservation` (Docker refuses a limit under it).
 */
export const memoryLimitFor = (
  container: Pick<ContainerDefinition, "memory" | "memoryReservation">,
  taskMemory: string | undefined,
  defaultMiB: number,
): number => {
  const task = taskMemory === undefined ? NaN : Number(taskMemory);
  const limit =
    container.memory ?? (Number.isInteger(task) && task > 0 ? task : undefined) ?? defaultMiB;
  return Math.max(limit, container.memoryReservation ?? 0);
};

const refuse = (reason: string): SpecResult => ({
  ok: false,
  reason: `CannotCreateContainerError: ${reason}`,
});

const environmentOf = (container: ContainerDefinition): Record<string, string> => {
  const env: Record<string, string> = {};
  for (const entry of container.environment) {
    if (entry.name !== undefined) env[entry.name] = entry.value ?? "";
  }
  return env;
};

/** `"8000-8002"` → [8000, 8001, 8002]; anything malformed → []. */
const portRange = (range: string): number[] => {
  const match = /^(\d+)-(\d+)$/.exec(range.trim());
  if (!match) return [];
  const from = Number(match[1]);
  const to = Number(match[2]);
  if (!(from <= to) || to - from > 10_000) return [];
  return Array.from({ length: to - from + 1 }, (_, i) => from + i);
};

/** The container ports of one port mapping: its port, or every port of its range. */
export const containerPortsOf = (
  mapping: Pick<
    ContainerDefinition["portMappings"][number],
    "containerPort" | "containerPortRange"
  >,
): number[] =>
  mapping.containerPort !== undefined
    ? [mapping.containerPort]
    : portRange(mapping.containerPortRange ?? "");

const portBindingsOf = (
  container: ContainerDefinition,
  networkMode: ManifestTask["taskDefinition"]["networkMode"],
  bindAddress: string,
): PortBindingSpec[] => {
  // host: the container is on the host's stack; none: nothing to publish.
  if (networkMode === "host" || networkMode === "none") return [];
  const bindings: PortBindingSpec[] = [];
  for (const mapping of container.portMappings) {
    for (const containerPort of containerPortsOf(mapping)) {
      // awsvpc: the task has its own address; its ports are also published (on the pause
      // container) on a dynamic port of the bind address, so the host can reach them.
      const hostPort =
        networkMode === "awsvpc" || mapping.containerPort === undefined
          ? 0
          : (mapping.hostPort ?? 0);
      bindings.push({ containerPort, hostPort, protocol: mapping.protocol, hostIp: bindAddress });
    }
  }
  return bindings;
};

/** awsvpc: every container joins the pause container's network namespace (one address). */
const networkOf = (task: ManifestTask): NetworkSpec => {
  const mode = task.taskDefinition.networkMode;
  if (mode === "awsvpc") return { mode: "container", container: pauseContainerName(task.taskArn) };
  return { mode };
};

/** `name:alias` or `name` → the linked container's runtime name and the alias. */
const linksOf = (task: ManifestTask, container: ContainerDefinition): ContainerSpec["links"] => {
  if (task.taskDefinition.networkMode !== "bridge") return [];
  return (container.links ?? []).map((link) => {
    const colon = link.indexOf(":");
    const name = colon === -1 ? link : link.slice(0, colon);
    const alias = colon === -1 ? link : link.slice(colon + 1);
    return { container: runtimeContainerName(task.taskArn, name), alias: alias || name };
  });
};

const mountsOf = (
  task: ManifestTask,
  container: ContainerDefinition,
): { mounts: MountSpec[] } | { reason: string } => {
  const mounts: MountSpec[] = [];
  for (const point of container.mountPoints) {
    if (point.sourceVolume === undefined || point.containerPath === undefined) {
      return {
        reason: `mount point of container ${container.name} lacks sourceVolume or containerPath`,
      };
    }
    const volume = task.taskDefinition.volumes.find((v) => v.name === point.sourceVolume);
    if (!volume)
      return { reason: `volume ${point.sourceVolume} is not defined in the task definition` };
    const readOnly = point.readOnly ?? false;
    const target = point.containerPath;
    if (volume.efsVolumeConfiguration || volume.fsxWindowsFileServerVolumeConfiguration) {
      return {
        reason: `volume ${point.sourceVolume}: EFS and FSx volumes are not supported by Flotilla`,
      };
    }
    if (volume.host?.sourcePath !== undefined) {
      mounts.push({ type: "bind", source: volume.host.sourcePath, target, readOnly });
    } else if (volume.dockerVolumeConfiguration?.scope === "shared") {
      mounts.push({ type: "volume", source: point.sourceVolume, target, readOnly });
    } else {
      // A task-scoped Docker volume: dockerVolumeConfiguration with scope task, or a
      // volume with neither host nor configuration (ECS's empty volume).
      mounts.push({
        type: "volume",
        source: taskVolumeName(task.taskArn, point.sourceVolume),
        target,
        readOnly,
      });
    }
  }
  return { mounts };
};

const healthCheckOf = (container: ContainerDefinition): HealthCheckSpec | undefined => {
  const check = container.healthCheck;
  if (!check) return undefined;
  return {
    test: check.command,
    intervalSeconds: check.interval ?? HEALTH_CHECK_DEFAULTS.interval,
    timeoutSeconds: check.timeout ?? HEALTH_CHECK_DEFAULTS.timeout,
    retries: check.retries ?? HEALTH_CHECK_DEFAULTS.retries,
    startPeriodSeconds: check.startPeriod ?? HEALTH_CHECK_DEFAULTS.startPeriod,
  };
};

/** dockerLabels without Flotilla's own (`com.flotilla.*`), which only the agent sets. */
const withoutFlotillaLabels = (labels: Readonly<Record<string, string>>): Record<string, string> =>
  Object.fromEntries(Object.entries(labels).filter(([k]) => !k.startsWith("com.flotilla.")));

/** Flotilla's labels over the container's dockerLabels: a task cannot forge its identity or log target. */
export const labelsFor = (
  task: ManifestTask,
  container: Pick<ContainerDefinition, "name" | "dockerLabels" | "logConfiguration">,
  agentId: string,
): Record<string, string> => ({
  ...withoutFlotillaLabels(container.dockerLabels ?? {}),
  ...awslogsLabels(container.logConfiguration),
  [LABEL.taskArn]: task.taskArn,
  [LABEL.containerName]: container.name,
  [LABEL.family]: task.taskDefinition.family,
  [LABEL.revision]: String(task.taskDefinition.revision),
  [LABEL.cluster]: task.clusterName,
  [LABEL.agentId]: agentId,
});

/**
 * The runtime spec of one container of a task (PURE): the ECS container definition with
 * the task's overrides, mapped onto what Docker (or the hollow runtime) creates.
 */
export const containerSpecFor = (
  task: ManifestTask,
  containerName: string,
  settings: SpecSettings,
  placement: TaskPlacement = {},
): SpecResult => {
  const definition = task.taskDefinition.containerDefinitions.find((c) => c.name === containerName);
  if (!definition) return refuse(`container ${containerName} is not in the task definition`);
  const container = effectiveContainer(definition, task.overrides);
  // Defensive: placement already keeps such tasks off this instance (requiresAttributes).
  const refusal = hostAccessRefusal(task.taskDefinition, settings);
  if (refusal !== undefined) return refuse(refusal);
  const mounts = mountsOf(task, container);
  if ("reason" in mounts) return refuse(mounts.reason);
  const healthCheck = healthCheckOf(container);
  const credentials = credentialsEnvironment(task, settings.taskCredentials);
  const spec: ContainerSpec = {
    name: runtimeContainerName(task.taskArn, container.name),
    image: container.image,
    labels: {
      ...labelsFor(task, container, settings.agentId),
      ...credentials.labels,
      ...cgroupLabel(placement),
    },
    ...(container.command !== undefined ? { command: container.command } : {}),
    ...(container.entryPoint !== undefined ? { entryPoint: container.entryPoint } : {}),
    environment: { ...environmentOf(container), ...credentials.environment },
    ...(container.workingDirectory !== undefined
      ? { workingDirectory: container.workingDirectory }
      : {}),
    ...(container.user !== undefined ? { user: container.user } : {}),
    ...(container.hostname !== undefined ? { hostname: container.hostname } : {}),
    cpuShares: cpuSharesFor(container.cpu),
    // Under the task's cgroup a container without `memory` has no limit of its own.
    memoryMiB:
      placement.cgroupParent !== undefined
        ? (container.memory ?? 0)
        : memoryLimitFor(container, task.taskDefinition.memory, settings.defaultMemoryMiB),
    pidsLimit: settings.pidsLimit,
    ...(container.memoryReservation !== undefined
      ? { memoryReservationMiB: container.memoryReservation }
      : {}),
    network: networkOf(task),
    // awsvpc: the pause container publishes the task's ports (pauseSpecFor).
    portBindings:
      task.taskDefinition.networkMode === "awsvpc"
        ? []
        : portBindingsOf(container, task.taskDefinition.networkMode, settings.bindAddress),
    links: linksOf(task, container),
    mounts: mounts.mounts,
    volumesFrom: container.volumesFrom
      .filter((v) => v.sourceContainer !== undefined)
      .map((v) => ({
        container: runtimeContainerName(task.taskArn, v.sourceContainer ?? ""),
        readOnly: v.readOnly ?? false,
      })),
    readonlyRootFilesystem: container.readonlyRootFilesystem ?? false,
    privileged: container.privileged ?? false,
    capAdd: container.linuxParameters?.capabilities?.add ?? [],
    capDrop: container.linuxParameters?.capabilities?.drop ?? [],
    init: container.linuxParameters?.initProcessEnabled ?? false,
    ulimits: (container.ulimits ?? []).map((u) => ({
      name: u.name,
      soft: u.softLimit,
      hard: u.hardLimit,
    })),
    ...(healthCheck ? { healthCheck } : {}),
    stopTimeoutSeconds: container.stopTimeout ?? settings.defaultStopTimeoutSeconds,
    dnsServers: container.dnsServers ?? [],
    dnsSearchDomains: container.dnsSearchDomains ?? [],
    extraHosts: container.extraHosts ?? [],
    securityOptions: container.dockerSecurityOptions ?? [],
    ...(placement.cgroupParent !== undefined ? { cgroupParent: placement.cgroupParent } : {}),
  };
  return { ok: true, spec };
};

/** The pause container's hard memory limit (MiB) when there is no task cgroup to bound it. */
export const PAUSE_MEMORY_MIB = 16;

/**
 * The spec of an awsvpc task's pause container (PURE): on the task's own network, with every
 * container's name as an alias there, publishing every container's ports (dynamic host
 * ports on the bind address), in the task's cgroup when there is one. It holds the network
 * namespace all the task's containers join.
 */
export const pauseSpecFor = (
  task: ManifestTask,
  settings: SpecSettings,
  placement: TaskPlacement = {},
): ContainerSpec => {
  const containers = task.taskDefinition.containerDefinitions.map((c) =>
    effectiveContainer(c, task.overrides),
  );
  return {
    name: pauseContainerName(task.taskArn),
    image: settings.pauseImage ?? DEFAULT_PAUSE_IMAGE,
    labels: {
      [LABEL.taskArn]: task.taskArn,
      [LABEL.family]: task.taskDefinition.family,
      [LABEL.revision]: String(task.taskDefinition.revision),
      [LABEL.cluster]: task.clusterName,
      [LABEL.agentId]: settings.agentId,
      [LABEL.role]: PAUSE_ROLE,
      ...cgroupLabel(placement),
    },
    environment: {},
    cpuShares: 2,
    memoryMiB: placement.cgroupParent !== undefined ? 0 : PAUSE_MEMORY_MIB,
    pidsLimit: 16,
    network: {
      mode: "network",
      network: taskNetworkName(task.taskArn),
      aliases: containers.map((c) => c.name),
    },
    portBindings: containers.flatMap((c) => portBindingsOf(c, "awsvpc", settings.bindAddress)),
    links: [],
    mounts: [],
    volumesFrom: [],
    readonlyRootFilesystem: true,
    privileged: false,
    capAdd: [],
    capDrop: ["ALL"],
    init: false,
    ulimits: [],
    stopTimeoutSeconds: 2,
    dnsServers: [],
    dnsSearchDomains: [],
    extraHosts: [],
    securityOptions: [],
    ...(placement.cgroupParent !== undefined ? { cgroupParent: placement.cgroupParent } : {}),
  };
};
