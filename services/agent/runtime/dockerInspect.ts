import type {
  ContainerState,
  ContainerStats,
  ContainerStatus,
  ObservedPortBinding,
  RuntimeEvent,
  RuntimeInfo,
} from "./containerRuntime.js";

/**
 * Docker's answers → the runtime's value types. Pure: each function takes the JSON
 * Docker returned (inspect, stats, an events line, info) and is unit-tested with
 * real fixtures. The input types are the subset we read, with every field Docker
 * may leave out or send as null marked so.
 */

type Nullable<T> = T | null | undefined;

export interface DockerInspectJson {
  readonly Id: string;
  readonly Name: string;
  readonly Created: string;
  readonly RestartCount?: Nullable<number>;
  readonly State: {
    readonly Status: string;
    readonly OOMKilled?: Nullable<boolean>;
    readonly ExitCode?: Nullable<number>;
    readonly Error?: Nullable<string>;
    readonly StartedAt?: Nullable<string>;
    readonly FinishedAt?: Nullable<string>;
    readonly Health?: Nullable<{ readonly Status: string }>;
  };
  readonly Config: {
    readonly Image: string;
    readonly Labels?: Nullable<Readonly<Record<string, string>>>;
  };
  readonly HostConfig?: Nullable<{ readonly NetworkMode?: Nullable<string> }>;
  readonly NetworkSettings?: Nullable<{
    readonly IPAddress?: Nullable<string>;
    readonly MacAddress?: Nullable<string>;
    readonly Ports?: Nullable<
      Readonly<
        Record<string, Nullable<readonly { readonly HostIp: string; readonly HostPort: string }[]>>
      >
    >;
    readonly Networks?: Nullable<
      Readonly<
        Record<
          string,
          Nullable<{
            readonly IPAddress?: Nullable<string>;
            readonly MacAddress?: Nullable<string>;
          }>
        >
      >
    >;
  }>;
}

const STATUSES: ReadonlySet<string> = new Set<ContainerStatus>([
  "created",
  "running",
  "paused",
  "restarting",
  "removing",
  "exited",
  "dead",
]);

/** `GET /containers/{id}/json` → ContainerState. */
export function toContainerState(json: DockerInspectJson): ContainerState {
  const state = json.State;
  // Docker's statuses are exactly ours; anything new is treated as beyond repair.
  const status: ContainerStatus = STATUSES.has(state.Status)
    ? (state.Status as ContainerStatus)
    : "dead";
  const exitCode = state.ExitCode ?? 0;
  const startedAt = dockerTime(state.StartedAt);
  // While a container runs again (restart), FinishedAt still tells when the previous
  // run ended: not this run's. (It cannot be compared with StartedAt: for a process
  // that exits at once Docker records FinishedAt a little before StartedAt.)
  const finishedAt =
    status === "running" || status === "paused" ? undefined : dockerTime(state.FinishedAt);
  const health = state.Health?.Status;
  const ipAddress = containerIp(json);
  const macAddress = containerMac(json);
  return {
    id: json.Id,
    name: json.Name.replace(/^\//, ""),
    image: json.Config.Image,
    labels: { ...json.Config.Labels },
    status,
    // Docker reports 0 while a container runs; a failed start leaves "created" with 127/128.
    ...(status === "exited" || status === "dead" || exitCode !== 0 ? { exitCode } : {}),
    oomKilled: state.OOMKilled === true,
    ...(state.Error ? { error: state.Error } : {}),
    createdAt: new Date(json.Created),
    ...(startedAt ? { startedAt } : {}),
    ...(finishedAt ? { finishedAt } : {}),
    ...(health === "starting" || health === "healthy" || health === "unhealthy" ? { health } : {}),
    ports: observedPorts(json.NetworkSettings?.Ports),
    ...(ipAddress ? { ipAddress } : {}),
    ...(macAddress ? { macAddress } : {}),
    restartCount: json.RestartCount ?? 0,
  };
}

/** Docker writes "0001-01-01T00:00:00Z" for a time that never happened. */
export function dockerTime(value: Nullable<string>): Date | undefined {
  if (!value || value.startsWith("0001-01-01")) return undefined;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

function observedPorts(
  ports: NonNullable<DockerInspectJson["NetworkSettings"]>["Ports"],
): ObservedPortBinding[] {
  const observed: ObservedPortBinding[] = [];
  for (const [key, bindings] of Object.entries(ports ?? {})) {
    const [port, protocol] = key.split("/");
    if (protocol !== "tcp" && protocol !== "udp") continue;
    for (const binding of bindings ?? []) {
      observed.push({
        containerPort: Number(port),
        hostPort: Number(binding.HostPort),
        protocol,
        hostIp: binding.HostIp,
      });
    }
  }
  return observed;
}

/** The address on the container's own network, else on the default bridge, else any. */
function containerIp(json: DockerInspectJson): string | undefined {
  const settings = json.NetworkSettings;
  const networks = settings?.Networks ?? {};
  const mode = json.HostConfig?.NetworkMode;
  const candidates = [
    mode ? networks[mode]?.IPAddress : undefined,
    settings?.IPAddress,
    ...Object.values(networks).map((n) => n?.IPAddress),
  ];
  return candidates.find((ip): ip is string => typeof ip === "string" && ip !== "");
}

/** The MAC address on the network the address was taken from. */
function containerMac(json: DockerInspectJson): string | undefined {
  const settings = json.NetworkSettings;
  const networks = settings?.Networks ?? {};
  const mode = json.HostConfig?.NetworkMode;
  const candidates = [
    mode ? networks[mode]?.MacAddress : undefined,
    settings?.MacAddress,
    ...Object.values(networks).map((n) => n?.MacAddress),
  ];
  return candidates.find((mac): mac is string => typeof mac === "string" && mac !== "");
}

export interface DockerStatsJson {
  readonly read: string;
  readonly cpu_stats?: Nullable<{
    readonly cpu_usage?: Nullable<{
      readonly total_usage?: Nullable<number>;
      readonly percpu_usage?: Nullable<readonly number[]>;
    }>;
    readonly system_cpu_usage?: Nullable<number>;
    readonly online_cpus?: Nullable<number>;
  }>;
  readonly memory_stats?: Nullable<{
    readonly usage?: Nullable<number>;
    readonly limit?: Nullable<number>;
    readonly stats?: Nullable<Readonly<Record<string, number>>>;
  }>;
}

/**
 * A one-shot `GET /containers/{id}/stats` → ContainerStats, or undefined when the
 * container is not running (Docker then answers with zero times and no memory).
 * Memory is what `docker stats` shows: usage minus inactive page cache
 * (`total_inactive_file` on cgroup v1, `inactive_file` on v2).
 */
export function toContainerStats(json: DockerStatsJson): ContainerStats | undefined {
  const at = dockerTime(json.read);
  const memory = json.memory_stats;
  const usage = memory?.usage;
  if (!at || usage === undefined || usage === null) return undefined;
  const cpu = json.cpu_stats;
  const cacheStats = memory?.stats ?? {};
  const inactive = cacheStats.total_inactive_file ?? cacheStats.inactive_file;
  return {
    cpuNanos: cpu?.cpu_usage?.total_usage ?? 0,
    systemCpuNanos: cpu?.system_cpu_usage ?? 0,
    onlineCpus: cpu?.online_cpus || cpu?.cpu_usage?.percpu_usage?.length || 1,
    memoryBytes: inactive !== undefined && inactive < usage ? usage - inactive : usage,
    memoryLimitBytes: memory?.limit ?? 0,
    at,
  };
}

export interface DockerEventJson {
  readonly Type?: Nullable<string>;
  readonly Action?: Nullable<string>;
  readonly id?: Nullable<string>;
  readonly Actor?: Nullable<{
    readonly ID?: Nullable<string>;
    readonly Attributes?: Nullable<Readonly<Record<string, string>>>;
  }>;
}

const EVENT_ACTIONS: ReadonlySet<string> = new Set<RuntimeEvent["action"]>([
  "start",
  "die",
  "oom",
  "health_status",
  "destroy",
]);

/**
 * Attributes Docker adds to a container event beside the container's labels.
 * A label with one of these keys cannot be told apart and is dropped.
 */
const DOCKER_ATTRIBUTES: ReadonlySet<string> = new Set([
  "image",
  "name",
  "exitCode",
  "signal",
  "execID",
]);

/** The action names of interest, as Docker's `event` filter takes them. */
export const DOCKER_EVENT_FILTER: readonly string[] = [...EVENT_ACTIONS];

/**
 * One line of `GET /events` → RuntimeEvent, or undefined for events the agent
 * does not care about. Health events arrive as "health_status: healthy".
 */
export function toRuntimeEvent(json: DockerEventJson): RuntimeEvent | undefined {
  if (json.Type !== "container") return undefined;
  const action = json.Action?.split(":", 1)[0]?.trim();
  const containerId = json.Actor?.ID ?? json.id;
  if (!action || !containerId || !EVENT_ACTIONS.has(action)) return undefined;
  const labels: Record<string, string> = {};
  for (const [key, value] of Object.entries(json.Actor?.Attributes ?? {})) {
    if (!DOCKER_ATTRIBUTES.has(key)) labels[key] = value;
  }
  return { containerId, action: action as RuntimeEvent["action"], labels };
}

export interface DockerInfoJson {
  readonly ServerVersion?: Nullable<string>;
  readonly NCPU?: Nullable<number>;
  readonly MemTotal?: Nullable<number>;
  readonly OSType?: Nullable<string>;
  readonly Architecture?: Nullable<string>;
}

/** `GET /info` → RuntimeInfo. */
export function toRuntimeInfo(json: DockerInfoJson): RuntimeInfo {
  return {
    runtime: "docker",
    version: json.ServerVersion ?? "unknown",
    cpus: json.NCPU ?? 0,
    memoryMiB: Math.floor((json.MemTotal ?? 0) / (1024 * 1024)),
    os: json.OSType ?? "unknown",
    architecture: json.Architecture ?? "unknown",
  };
}
