import type Docker from "dockerode";
import type { ContainerSpec, HealthCheckSpec, NetworkSpec } from "./containerRuntime.js";

/**
 * ContainerSpec → the body of Docker's `POST /containers/create`. Pure: no I/O,
 * so every field's mapping is unit-tested (tests/unit/agent/runtime/).
 *
 * Choices that are not a one-to-one copy:
 * - Resource limits are always set: `Memory` (the spec always has one), `PidsLimit`, and
 *   `CpuShares`, where 0 and 1 become 2, the smallest value the kernel accepts (the ECS
 *   agent ≥ 1.2.0 does the same).
 * - `no-new-privileges:true` is added to the security options unless the container's
 *   `dockerSecurityOptions` already say `no-new-privileges` either way. Capabilities are
 *   Docker's defaults plus `capAdd` less `capDrop`, as in ECS: nothing else is dropped.
 * - hostPort 0 becomes HostPort "" — Docker picks a free port.
 * - Ports are not published in `host` or `none` mode (Docker would ignore or reject
 *   them), but they stay in ExposedPorts. A container joined to another's network
 *   (`container:<name>`, awsvpc) neither publishes nor exposes: Docker refuses both there;
 *   the pause container whose namespace it joins publishes the task's ports.
 * - `cgroupParent` (a task cgroup) becomes CgroupParent; memoryMiB 0 there means no
 *   limit of the container's own (Memory 0), the task's cgroup bounds it.
 * - `init` false is left out, so a daemon started with `--init` keeps its default.
 * - RestartPolicy is always "no": restarts are the agent's decision, not Docker's.
 * - Bind mounts use `HostConfig.Mounts`, so a missing host path fails the create
 *   (the legacy `Binds` would silently create an empty directory as root).
 */
export function toDockerCreateOptions(spec: ContainerSpec): Docker.ContainerCreateOptions {
  const exposedPorts: Record<string, object> = {};
  const portBindings: Record<string, Docker.PortBinding[]> = {};
  for (const port of spec.portBindings) {
    const key = `${port.containerPort}/${port.protocol}`;
    exposedPorts[key] = {};
    const bindings = portBindings[key] ?? [];
    bindings.push({
      HostIp: port.hostIp,
      HostPort: port.hostPort === 0 ? "" : String(port.hostPort),
    });
    portBindings[key] = bindings;
  }
  const publishes =
    spec.network.mode !== "host" &&
    spec.network.mode !== "none" &&
    spec.network.mode !== "container";

  const hostConfig: Docker.HostConfig = {
    NetworkMode: networkMode(spec.network),
    RestartPolicy: { Name: "no" },
    ReadonlyRootfs: spec.readonlyRootFilesystem,
    Privileged: spec.privileged,
    CapAdd: [...spec.capAdd],
    CapDrop: [...spec.capDrop],
    Dns: [...spec.dnsServers],
    DnsSearch: [...spec.dnsSearchDomains],
    ExtraHosts: spec.extraHosts.map((h) => `${h.hostname}:${h.ipAddress}`),
    SecurityOpt: securityOptionsOf(spec.securityOptions),
    Links: spec.links.map((l) => `${l.container}:${l.alias}`),
    VolumesFrom: spec.volumesFrom.map((v) => `${v.container}:${v.readOnly ? "ro" : "rw"}`),
    Mounts: spec.mounts.map((m) => ({
      Type: m.type,
      Source: m.source,
      Target: m.target,
      ReadOnly: m.readOnly,
    })),
    Ulimits: spec.ulimits.map((u) => ({ Name: u.name, Soft: u.soft, Hard: u.hard })),
  };
  if (publishes && spec.portBindings.length > 0) hostConfig.PortBindings = portBindings;
  hostConfig.CpuShares = Math.max(MIN_CPU_SHARES, spec.cpuShares);
  hostConfig.Memory = mibToBytes(spec.memoryMiB);
  hostConfig.PidsLimit = spec.pidsLimit;
  if (spec.memoryReservationMiB !== undefined) {
    hostConfig.MemoryReservation = mibToBytes(spec.memoryReservationMiB);
  }
  if (spec.init) hostConfig.Init = true;
  if (spec.cgroupParent !== undefined) hostConfig.CgroupParent = spec.cgroupParent;

  const options: Docker.ContainerCreateOptions = {
    name: spec.name,
    Image: imageReference(spec.image),
    Labels: { ...spec.labels },
    Env: Object.entries(spec.environment).map(([key, value]) => `${key}=${value}`),
    StopTimeout: spec.stopTimeoutSeconds,
    HostConfig: hostConfig,
  };
  if (spec.command !== undefined) options.Cmd = [...spec.command];
  if (spec.entryPoint !== undefined) options.Entrypoint = [...spec.entryPoint];
  if (spec.workingDirectory !== undefined) options.WorkingDir = spec.workingDirectory;
  if (spec.user !== undefined) options.User = spec.user;
  if (spec.hostname !== undefined) options.Hostname = spec.hostname;
  if (spec.portBindings.length > 0 && spec.network.mode !== "container") {
    options.ExposedPorts = exposedPorts;
  }
  if (spec.healthCheck !== undefined) options.Healthcheck = toHealthConfig(spec.healthCheck);
  if (spec.network.mode === "network") {
    options.NetworkingConfig = {
      EndpointsConfig: { [spec.network.network]: { Aliases: [...spec.network.aliases] } },
    };
  }
  return options;
}

/**
 * The image reference Docker should use: a reference without a tag or digest gets
 * `:latest`, because a pull without a tag would fetch every tag of the repository.
 */
export function imageReference(image: string): string {
  if (image.includes("@")) return image;
  const lastSegment = image.slice(image.lastIndexOf("/") + 1);
  return lastSegment.includes(":") ? image : `${image}:latest`;
}

const NANOS_PER_SECOND = 1_000_000_000;

/** The kernel's smallest CPU weight. */
const MIN_CPU_SHARES = 2;

export const NO_NEW_PRIVILEGES = "no-new-privileges:true";

/** The container's options, with no-new-privileges on unless it says otherwise itself. */
export function securityOptionsOf(options: readonly string[]): string[] {
  const says = options.some((o) => /^no-new-privileges(?:[:=]|$)/.test(o));
  return says ? [...options] : [...options, NO_NEW_PRIVILEGES];
}

function toHealthConfig(check: HealthCheckSpec): Docker.HealthConfig {
  // 0 means "inherit from the image / Docker's default" in Docker's API, as in ECS.
  return {
    Test: [...check.test],
    Interval: check.intervalSeconds * NANOS_PER_SECOND,
    Timeout: check.timeoutSeconds * NANOS_PER_SECOND,
    StartPeriod: check.startPeriodSeconds * NANOS_PER_SECOND,
    Retries: check.retries,
  };
}

function networkMode(network: NetworkSpec): string {
  if (network.mode === "network") return network.network;
  if (network.mode === "container") return `container:${network.container}`;
  return network.mode;
}

const mibToBytes = (mib: number): number => mib * 1024 * 1024;
