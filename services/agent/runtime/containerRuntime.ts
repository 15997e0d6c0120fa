import type { TaskLimits } from "../tasks/taskLimits.js";

/**
 * What the agent needs from a container engine: Docker (dockerRuntime.ts) on a
 * real host, or the hollow runtime (hollowRuntime.ts) for scale tests. The
 * agent's reconcile loop speaks only this interface, so both run the same code.
 *
 * Everything here is about single containers and task networks; the task-level
 * logic (essential containers, dependsOn order, restart policy, stop codes)
 * lives in the agent above it.
 */

/** A port to publish. hostPort 0 asks the runtime for a free (dynamic) port. */
export interface PortBindingSpec {
  readonly containerPort: number;
  readonly hostPort: number;
  readonly protocol: "tcp" | "udp";
  /** Address on the host to bind; 127.0.0.1 by default in Flotilla. */
  readonly hostIp: string;
}

export interface MountSpec {
  readonly type: "bind" | "volume";
  /** Host path (bind) or volume name (volume). */
  readonly source: string;
  readonly target: string;
  readonly readOnly: boolean;
}

export interface UlimitSpec {
  readonly name: string;
  readonly soft: number;
  readonly hard: number;
}

export interface HealthCheckSpec {
  /** Docker's form: ["CMD", ...] or ["CMD-SHELL", "..."]. */
  readonly test: readonly string[];
  readonly intervalSeconds: number;
  readonly timeoutSeconds: number;
  readonly retries: number;
  readonly startPeriodSeconds: number;
}

/**
 * `bridge`, `host`, `none`, a user-defined network (an awsvpc task's pause container joins
 * the task's own network), or another container's network namespace (`container:<name>`:
 * each container of an awsvpc task joins its pause container's, so they share one address).
 */
export type NetworkSpec =
  | { readonly mode: "bridge" | "host" | "none" }
  | { readonly mode: "network"; readonly network: string; readonly aliases: readonly string[] }
  | { readonly mode: "container"; readonly container: string };

export interface ContainerSpec {
  /** The runtime's container name: unique per task and container. */
  readonly name: string;
  readonly image: string;
  /** Flotilla's labels (task ARN, container name, family, revision, cluster) and dockerLabels. */
  readonly labels: Readonly<Record<string, string>>;
  readonly command?: readonly string[];
  readonly entryPoint?: readonly string[];
  readonly environment: Readonly<Record<string, string>>;
  readonly workingDirectory?: string;
  readonly user?: string;
  readonly hostname?: string;
  /** CPU shares (ECS cpu units); below 2 (0 included) the runtime uses 2, as ECS does. */
  readonly cpuShares: number;
  /**
   * Hard memory limit in MiB: ECS `memory`, else the task's, else the agent's default.
   * 0 only under a task cgroup (`cgroupParent`): the container has no limit of its own,
   * the task's bounds it.
   */
  readonly memoryMiB: number;
  /** Soft limit in MiB (ECS `memoryReservation`). */
  readonly memoryReservationMiB?: number;
  readonly network: NetworkSpec;
  readonly portBindings: readonly PortBindingSpec[];
  /** Links to other containers of the task: runtime container name and alias. */
  readonly links: readonly { readonly container: string; readonly alias: string }[];
  readonly mounts: readonly MountSpec[];
  /** Runtime names of containers whose volumes to mount. */
  readonly volumesFrom: readonly { readonly container: string; readonly readOnly: boolean }[];
  readonly readonlyRootFilesystem: boolean;
  readonly privileged: boolean;
  readonly capAdd: readonly string[];
  readonly capDrop: readonly string[];
  /** Run an init process as PID 1 (linuxParameters.initProcessEnabled). */
  readonly init: boolean;
  readonly ulimits: readonly UlimitSpec[];
  /** Most processes (threads included) the container may run. Always set. */
  readonly pidsLimit: number;
  readonly healthCheck?: HealthCheckSpec;
  /** Seconds between SIGTERM and SIGKILL on stop. */
  readonly stopTimeoutSeconds: number;
  readonly dnsServers: readonly string[];
  readonly dnsSearchDomains: readonly string[];
  readonly extraHosts: readonly { readonly hostname: string; readonly ipAddress: string }[];
  readonly securityOptions: readonly string[];
  /** The task's cgroup (task-level cpu/memory), when the runtime made one. */
  readonly cgroupParent?: string;
}

export type ContainerStatus =
  "created" | "running" | "paused" | "restarting" | "removing" | "exited" | "dead";

export interface ObservedPortBinding {
  readonly containerPort: number;
  readonly hostPort: number;
  readonly protocol: "tcp" | "udp";
  readonly hostIp: string;
}

/** A container as the runtime sees it now. */
export interface ContainerState {
  readonly id: string;
  readonly name: string;
  readonly image: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly status: ContainerStatus;
  readonly exitCode?: number;
  /** The kernel killed it for exceeding its memory limit. */
  readonly oomKilled: boolean;
  /** Runtime error text, e.g. a failed start. */
  readonly error?: string;
  readonly createdAt: Date;
  readonly startedAt?: Date;
  readonly finishedAt?: Date;
  readonly health?: "starting" | "healthy" | "unhealthy";
  readonly ports: readonly ObservedPortBinding[];
  /** The container's address on its network, when it has one. */
  readonly ipAddress?: string;
  /** Its MAC address on that network. */
  readonly macAddress?: string;
  readonly restartCount: number;
}

export interface ContainerStats {
  /** Cumulative CPU time used by the container, in nanoseconds. */
  readonly cpuNanos: number;
  /** Cumulative CPU time of the whole host, in nanoseconds (for the ratio). */
  readonly systemCpuNanos: number;
  readonly onlineCpus: number;
  readonly memoryBytes: number;
  readonly memoryLimitBytes: number;
  readonly at: Date;
}

export interface RuntimeInfo {
  readonly runtime: "docker" | "hollow";
  readonly version: string;
  readonly cpus: number;
  readonly memoryMiB: number;
  readonly os: string;
  readonly architecture: string;
}

/** A change the runtime noticed; a hint to reconcile sooner, never the only signal. */
export interface RuntimeEvent {
  readonly containerId: string;
  readonly action: "start" | "die" | "oom" | "health_status" | "destroy";
  readonly labels: Readonly<Record<string, string>>;
}

/** One line of a container's output, as the engine time-stamped it. */
export interface LogLine {
  readonly stream: "stdout" | "stderr";
  /** The engine's time stamp: nanoseconds since the epoch. */
  readonly timeNs: bigint;
  readonly message: string;
}

export interface LogReadOptions {
  /** Only lines stamped at or after this time (ns since the epoch). */
  readonly sinceNs?: bigint;
  /** Keep reading while the container runs (the iterable ends when it stops). */
  readonly follow: boolean;
  readonly signal: AbortSignal;
}

/** The image is not present and could not be pulled (ECS: CannotPullContainerError). */
export class ImagePullError extends Error {
  override readonly name = "ImagePullError";
}

/**
 * The engine refused to create a task's network for good (not a passing failure): e.g.
 * its address pools are used up. The task cannot start (ResourceInitializationError).
 */
export class NetworkSetupError extends Error {
  override readonly name = "NetworkSetupError";
}

/** The container could not be created or started (ECS: CannotStartContainerError / CannotCreateContainerError). */
export class ContainerStartError extends Error {
  override readonly name = "ContainerStartError";
  constructor(
    message: string,
    readonly phase: "create" | "start",
  ) {
    super(message);
  }
}

export interface ContainerRuntime {
  info(): Promise<RuntimeInfo>;
  /** Uses a local image; pulls only when missing; throws ImagePullError when it cannot. */
  ensureImage(image: string): Promise<void>;
  createNetwork(name: string, labels: Readonly<Record<string, string>>): Promise<void>;
  /** Removes a network; a missing one is not an error. */
  removeNetwork(name: string): Promise<void>;
  /** Creates (does not start) a container; returns its id. */
  createContainer(spec: ContainerSpec): Promise<string>;
  startContainer(id: string): Promise<void>;
  /** SIGTERM, then SIGKILL after `timeoutSeconds`; a stopped one is not an error. */
  stopContainer(id: string, timeoutSeconds: number): Promise<void>;
  /** Restarts a container in place (restart policy). */
  restartContainer(id: string, timeoutSeconds: number): Promise<void>;
  /** Removes a container (and its anonymous volumes); a missing one is not an error. */
  removeContainer(id: string): Promise<void>;
  inspect(id: string): Promise<ContainerState | undefined>;
  /** Every container (running or not) carrying all the given labels. */
  list(labels: Readonly<Record<string, string>>): Promise<ContainerState[]>;
  stats(id: string): Promise<ContainerStats | undefined>;
  /** Runtime events until the signal aborts. */
  events(signal: AbortSignal): AsyncIterable<RuntimeEvent>;
  /**
   * Makes the pause image present (docs/fargate.md): a local one is used; a missing one is
   * built (Docker, from a static busybox) or pulled. Throws ImagePullError when it cannot.
   */
  ensurePauseImage(image: string): Promise<void>;
  /**
   * Task cgroups (task-level cpu/memory): creates the task's cgroup with its limits and
   * returns the CgroupParent for its containers, or undefined where there are none.
   */
  prepareTaskCgroup?(name: string, limits: TaskLimits): Promise<string | undefined>;
  /** Processes the OOM killer killed in the task's cgroup so far. */
  taskCgroupOomKills?(name: string): Promise<number>;
  /** Removes the task's cgroup (its containers are gone); a missing one is not an error. */
  removeTaskCgroup?(name: string): Promise<void>;
  /**
   * A container's stdout and stderr lines in order, from the engine's own log
   * (reading never blocks the container). A runtime without logs leaves it out.
   */
  logs?(id: string, options: LogReadOptions): AsyncIterable<LogLine>;
}
