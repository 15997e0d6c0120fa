/**
 * HollowRuntime: a container engine simulated in memory, in the spirit of Kubemark's
 * hollow kubelet. The agent above it runs unchanged and sees what it would see from
 * Docker — ids, statuses, exit codes, ports, health, events, stats — with no process,
 * no image and no network behind any container. Hundreds of hollow hosts with
 * thousands of containers fit in one process: a container is a small record, and a
 * timer exists only while a transition is pending (a start under way, a program due to
 * end, a health check due to settle, a kill after a stop timeout). An idle running
 * container costs no timer and no CPU.
 *
 * Docker behaviour it copies:
 * - `ensureImage` pulls (instantly) an image the hollow registry has (`images`, or
 *   any image with "any"); anything else fails with ImagePullError. `createContainer`
 *   needs the image pulled first ("No such image", as Docker's create), a free and
 *   valid name, and an existing network when the mode is `network`; it fails with
 *   ContainerStartError(phase "create") otherwise.
 * - `startContainer` takes `startLatencyMs`, then the container is "running" with an
 *   IP address and its host ports: a fixed hostPort is honoured, hostPort 0 gets the
 *   next free port of `portRange`. A port already taken ("port is already allocated"),
 *   an exhausted range ("all ports are allocated"), a vanished network or an unlucky
 *   draw against `failureRate` fail the start with ContainerStartError(phase "start")
 *   and leave the container "created" with exit code 128 and `error` set, as Docker does.
 * - A container in another's network namespace (`container:<name>`, an awsvpc task's
 *   containers joining its pause container) needs that one running to start, and has no
 *   address or ports of its own. The pause image is always present (`ensurePauseImage`).
 * - Stopping sends SIGTERM: the program exits with its TERM exit code at once, or, if it
 *   ignores TERM, is killed (137) when the timeout runs out; stopping waits for the exit.
 *   `removeContainer` kills a running container first; missing containers are not an
 *   error for stop and remove. `restartContainer` is stop then start, and counts the
 *   restart in `restartCount` (Docker counts only its own restart-policy restarts).
 * - Events: `start`, `oom`, `die`, `health_status`, `destroy`, with the container's labels.
 * - Stats while running: cumulative CPU growing with the program's busy cores, the
 *   program's memory, and the container's limit (else the host's memory); undefined when
 *   the container is not running (as DockerRuntime answers).
 *
 * The command language. A container runs `entryPoint ++ command` (or the image's
 * default, which for a hollow image is a service that runs until stopped).
 * `sh -c SCRIPT` (also ash/bash/dash, /bin/ paths, flags like -ec) runs SCRIPT; any
 * other argv is a one-command script. A script is simple commands joined by `;`,
 * newlines, `&&` and `||`, with '…', "…" and \ quoting and # comments; `exec` is skipped:
 *   exit N            ends with N (default: the last command's status)
 *   sleep S           waits S simulated seconds (busybox forms: 1, 0.5, 2s, 1m, 1h, 1d;
 *                     `infinity` never returns)
 *   true, :, false    status 0, 0, 1
 *   trap "exit N" TERM   SIGTERM then exits with N (`trap exit TERM`: 0)
 *   trap "" TERM      SIGTERM ignored (any other handler too: the script carries on);
 *                     `trap - TERM` restores the default
 *   while …, until …  a loop: runs until stopped
 *   yes, dd, md5sum, sha*sum, cat /dev/zero|urandom   run until stopped, one core busy
 *   echo, printf, cd, mkdir, touch, rm, cp, mv, ln, chmod, chown, set, unset, export,
 *   ls, date, hostname, id, env, test, [, cat, wc, wget, curl   finish at once, status 0
 *   anything else     a service (httpd -f, nginx, tail -f, …): runs until stopped
 * When the script runs out it exits with the last status; a bare `sh` exits 0 at once.
 * So `sh -c 'exit 3'` exits 3 right after it starts, `sh -c 'sleep 2; exit 4'` exits 4
 * two seconds later, `sleep 5` exits 0 after five seconds, `httpd -f -p 8080` and
 * `sh -c 'trap "exit 0" TERM; while true; do sleep 1; done'` run until stopped (the
 * latter exits 0 on stop, the former 143).
 * Unlike Docker, SIGTERM's default action applies even to PID 1: a plain `sleep 100`
 * exits 143 on stop here, where busybox's sleep as PID 1 ignores TERM under Docker and
 * is killed (137) after the timeout.
 *
 * Environment variables a hollow program reads:
 *   HOLLOW_MEMORY_MIB=X     the program uses X MiB (default 4); above the container's
 *                           memory limit (else the host's) it is OOM-killed right after
 *                           it starts: exit 137, oomKilled, events `oom` then `die`
 *   HOLLOW_CPU_CORES=C      the program keeps C cores busy (default 0.01, burners 1)
 *   HOLLOW_IGNORE_SIGTERM=1 SIGTERM is ignored: killed (137) after the stop timeout
 *   HOLLOW_HEALTH=unhealthy every health check fails
 *
 * Health checks (`["CMD-SHELL", script]` or `["CMD", ...argv]`) use the same language:
 * `true`, `exit 0` pass; `false`, `exit 1` fail; a `sleep` reaching the check's timeout
 * fails; anything else (curl, wget, …) probes the hollow program, which answers. The
 * outcome never changes while a container runs, so one timer settles it: "starting" until
 * the first check (after `interval`) passes → "healthy", or until `retries` counted
 * failures (failures inside `startPeriod` are not counted) → "unhealthy". Docker's
 * defaults apply to zeros: interval 30 s, timeout 30 s, retries 3.
 *
 * `timeScale` shrinks simulated time (sleep, health intervals, stop timeouts): 0.01 runs
 * a simulated second in 10 ms. `startLatencyMs` is real milliseconds.
 */
import {
  ContainerStartError,
  ImagePullError,
  type ContainerRuntime,
  type ContainerSpec,
  type ContainerState,
  type ContainerStats,
  type ContainerStatus,
  type HealthCheckSpec,
  type NetworkSpec,
  type ObservedPortBinding,
  type PortBindingSpec,
  type RuntimeEvent,
  type RuntimeInfo,
} from "./containerRuntime.js";
import { realClock, type HollowClock } from "./hollowClock.js";
import { HollowEventFeed } from "./hollowEvents.js";
import { HollowPortPool } from "./hollowPorts.js";
import { compileProgram, evaluateProbe, type HollowProgram } from "./hollowProgram.js";

export interface HollowRuntimeOptions {
  /** CPUs the hollow host reports. */
  readonly cpus: number;
  /** Memory the hollow host reports, in MiB; the memory limit of a container without one. */
  readonly memoryMiB: number;
  /** Real milliseconds a start takes: a fixed value or uniform in [min, max]. Default 0. */
  readonly startLatencyMs?: number | { readonly min: number; readonly max: number };
  /** Chance (0..1) that a start fails with ContainerStartError. Default 0. */
  readonly failureRate?: number;
  /** Images the hollow registry has; "any" (the default) has every image. */
  readonly images?: ReadonlySet<string> | "any";
  /** Time and timers; the real clock by default, a ManualClock in tests. */
  readonly clock?: HollowClock;
  /** Numbers in [0, 1) for latencies and failures; Math.random by default, seededRandom in tests. */
  readonly random?: () => number;
  /** Real milliseconds per simulated millisecond (sleep, health checks, stop timeouts). Default 1. */
  readonly timeScale?: number;
  /** Where dynamic host ports come from. Default 32768–60999, as Docker. */
  readonly portRange?: { readonly min: number; readonly max: number };
  /** The engine version `info()` reports. */
  readonly version?: string;
}

const MIB = 1024 * 1024;
const KILLED_EXIT = 137;
const FAILED_START_EXIT = 128;
/** The hollow host had been up this long when the runtime was made (system CPU is never 0). */
const HOST_UPTIME_AT_BOOT_MS = 60_000;
const EMPTY_PORTS: readonly ObservedPortBinding[] = Object.freeze([]);
const NAME_PATTERN = /^\/?[a-zA-Z0-9][a-zA-Z0-9_.-]+$/;

type HealthStatus = "starting" | "healthy" | "unhealthy";

interface HealthPlan {
  /** Simulated seconds after start when the health status settles. */
  readonly atSeconds: number;
  readonly status: "healthy" | "unhealthy";
}

interface PendingStart {
  readonly promise: Promise<void>;
  readonly reject: (error: Error) => void;
}

interface HollowNetwork {
  readonly labels: Readonly<Record<string, string>>;
  readonly prefix: string;
  nextHost: number;
}

/** One hollow container: what it was created with, and where it is now. */
class HollowContainer {
  status: ContainerStatus = "created";
  startedAt: number | undefined = undefined;
  finishedAt: number | undefined = undefined;
  exitCode: number | undefined = undefined;
  oomKilled = false;
  error: string | undefined = undefined;
  health: HealthStatus | undefined = undefined;
  ports: readonly ObservedPortBinding[] = EMPTY_PORTS;
  ipAddress: string | undefined = undefined;
  restartCount = 0;
  /** The pending lifecycle transition (start latency, the program's end, a kill): one at most. */
  timer: unknown = undefined;
  timerKind: "start" | "exit" | "kill" | undefined = undefined;
  timerDue = 0;
  healthTimer: unknown = undefined;
  starting: PendingStart | undefined = undefined;
  stopping = false;
  exitWaiters: (() => void)[] | undefined = undefined;
  removed = false;

  constructor(
    readonly id: string,
    readonly name: string,
    readonly image: string,
    readonly labels: Readonly<Record<string, string>>,
    readonly program: HollowProgram,
    readonly healthPlan: HealthPlan | undefined,
    readonly network: NetworkSpec,
    readonly portBindings: readonly PortBindingSpec[],
    readonly memoryLimitMiB: number | undefined,
    readonly createdAt: number,
  ) {}
}

let runtimeSerial = 0;

export class HollowRuntime implements ContainerRuntime {
  readonly cpus: number;
  readonly memoryMiB: number;
  private readonly clock: HollowClock;
  private readonly random: () => number;
  private readonly failureRate: number;
  private readonly latency: { readonly min: number; readonly max: number };
  private readonly timeScale: number;
  private readonly pullable: ReadonlySet<string> | "any";
  private readonly version: string;
  private readonly serial = ++runtimeSerial;
  private readonly bootedAt: number;
  private containerSerial = 0;
  private readonly byId = new Map<string, HollowContainer>();
  private readonly byName = new Map<string, HollowContainer>();
  private readonly localImages = new Set<string>();
  private readonly networks = new Map<string, HollowNetwork>();
  private networkSerial = 0;
  private readonly bridge: HollowNetwork = { labels: {}, prefix: "172.17", nextHost: 2 };
  private readonly ports: HollowPortPool;
  private readonly feeds = new Set<HollowEventFeed>();
  private timers = 0;

  constructor(options: HollowRuntimeOptions) {
    const failureRate = options.failureRate ?? 0;
    if (!(failureRate >= 0 && failureRate <= 1)) {
      throw new RangeError(`failureRate must be within 0..1, got ${failureRate}`);
    }
    const timeScale = options.timeScale ?? 1;
    if (!(timeScale > 0)) throw new RangeError(`timeScale must be above 0, got ${timeScale}`);
    const latency = options.startLatencyMs ?? 0;
    this.latency = typeof latency === "number" ? { min: latency, max: latency } : latency;
    if (!(this.latency.min >= 0 && this.latency.max >= this.latency.min)) {
      throw new RangeError(`invalid startLatencyMs ${JSON.stringify(latency)}`);
    }
    this.cpus = options.cpus;
    this.memoryMiB = options.memoryMiB;
    this.failureRate = failureRate;
    this.timeScale = timeScale;
    this.clock = options.clock ?? realClock;
    this.random = options.random ?? Math.random;
    this.version = options.version ?? "hollow-1";
    this.ports = new HollowPortPool(options.portRange?.min, options.portRange?.max);
    const images = options.images ?? "any";
    this.pullable = images === "any" ? "any" : new Set([...images].map(imageReference));
    this.bootedAt = this.clock.now();
  }

  /** Timers this runtime has pending now (0 when nothing is due to happen). */
  get pendingTimers(): number {
    return this.timers;
  }

  /** Host ports taken now. */
  get portsInUse(): number {
    return this.ports.size;
  }

  /** Containers this runtime holds, in any state. */
  get containerCount(): number {
    return this.byId.size;
  }

  info(): Promise<RuntimeInfo> {
    return Promise.resolve({
      runtime: "hollow",
      version: this.version,
      cpus: this.cpus,
      memoryMiB: this.memoryMiB,
      os: "linux",
      architecture: "x86_64",
    });
  }

  ensureImage(image: string): Promise<void> {
    const ref = imageReference(image);
    if (this.localImages.has(ref)) return Promise.resolve();
    if (this.pullable !== "any" && !this.pullable.has(ref)) {
      return Promise.reject(
        new ImagePullError(
          `pull ${ref}: pull access denied for ${ref}, repository does not exist or may require 'docker login' (hollow registry)`,
        ),
      );
    }
    this.localImages.add(ref);
    return Promise.resolve();
  }

  /** The pause image is always at hand on a hollow host (Docker's is built on first need). */
  ensurePauseImage(image: string): Promise<void> {
    this.localImages.add(imageReference(image));
    return Promise.resolve();
  }

  createNetwork(name: string, labels: Readonly<Record<string, string>>): Promise<void> {
    if (!this.networks.has(name)) {
      const n = this.networkSerial++ % 65536;
      this.networks.set(name, {
        labels: Object.freeze({ ...labels }),
        prefix: `10.${n >> 8}.${n & 255}`,
        nextHost: 2,
      });
    }
    return Promise.resolve();
  }

  removeNetwork(name: string): Promise<void> {
    if (!this.networks.has(name)) return Promise.resolve();
    for (const c of this.byId.values()) {
      if (c.status === "running" && c.network.mode === "network" && c.network.network === name) {
        return Promise.reject(
          new Error(`hollow remove network ${name}: network ${name} has active endpoints`),
        );
      }
    }
    this.networks.delete(name);
    return Promise.resolve();
  }

  createContainer(spec: ContainerSpec): Promise<string> {
    // A throw inside the executor rejects the promise.
    return new Promise((resolve) => resolve(this.create(spec).id));
  }

  private create(spec: ContainerSpec): HollowContainer {
    const image = imageReference(spec.image);
    if (!NAME_PATTERN.test(spec.name)) {
      throw new ContainerStartError(
        `Invalid container name (${spec.name}), only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed`,
        "create",
      );
    }
    const name = spec.name.replace(/^\//, "");
    const clash = this.byName.get(name);
    if (clash) {
      throw new ContainerStartError(
        `Conflict. The container name "/${name}" is already in use by container "${clash.id}". You have to remove (or rename) that container to be able to reuse that name.`,
        "create",
      );
    }
    if (!this.localImages.has(image)) {
      throw new ContainerStartError(`No such image: ${image}`, "create");
    }
    if (spec.network.mode === "network" && !this.networks.has(spec.network.network)) {
      throw new ContainerStartError(`network ${spec.network.network} not found`, "create");
    }
    const argv =
      spec.entryPoint !== undefined ? [...spec.entryPoint, ...(spec.command ?? [])] : spec.command;
    const container = new HollowContainer(
      this.nextId(),
      name,
      image,
      Object.freeze({ ...spec.labels }),
      compileProgram(argv, spec.environment),
      spec.healthCheck && planHealth(spec.healthCheck, spec.environment),
      spec.network,
      spec.portBindings,
      // 0: no limit of its own (a task cgroup bounds it, which a hollow host does not have).
      spec.memoryMiB > 0 ? spec.memoryMiB : undefined,
      this.clock.now(),
    );
    this.byId.set(container.id, container);
    this.byName.set(name, container);
    return container;
  }

  async startContainer(id: string): Promise<void> {
    const c = this.find(id);
    if (!c) throw new ContainerStartError(`No such container: ${id}`, "start");
    if (c.starting) return c.starting.promise;
    if (c.status === "running") {
      if (!c.stopping) return; // Docker: 304, already started
      await this.exited(c);
      if (c.removed) throw new ContainerStartError(`No such container: ${id}`, "start");
      if (c.starting) return (c.starting as PendingStart).promise;
      if (c.status === "running") return;
    }
    return this.beginStart(c);
  }

  async stopContainer(id: string, timeoutSeconds: number): Promise<void> {
    const c = this.find(id);
    if (!c) return;
    if (c.starting) await c.starting.promise.catch(() => undefined);
    if (c.status !== "running") return;
    if (!c.stopping) {
      c.stopping = true;
      const term = c.program.termExitCode;
      const killAfter = this.simulatedMs(Math.max(0, timeoutSeconds));
      if (term !== undefined) {
        this.exit(c, term, false);
      } else if (killAfter === 0) {
        this.exit(c, KILLED_EXIT, false);
      } else if (c.timerKind !== "exit" || c.timerDue > this.clock.now() + killAfter) {
        // SIGTERM ignored: SIGKILL at the deadline, unless the program ends sooner anyway.
        this.setTimer(c, "kill", killAfter, false, () => this.exit(c, KILLED_EXIT, false));
      }
    }
    await this.exited(c);
  }

  async restartContainer(id: string, timeoutSeconds: number): Promise<void> {
    const c = this.find(id);
    if (!c) throw new ContainerStartError(`No such container: ${id}`, "start");
    await this.stopContainer(c.id, timeoutSeconds);
    if (c.removed) throw new ContainerStartError(`No such container: ${id}`, "start");
    c.restartCount++;
    await this.startContainer(c.id);
  }

  removeContainer(id: string): Promise<void> {
    const c = this.find(id);
    if (!c) return Promise.resolve();
    c.removed = true;
    this.byId.delete(c.id);
    this.byName.delete(c.name);
    const starting = c.starting;
    if (starting) {
      c.starting = undefined;
      this.clearTimer(c);
      starting.reject(
        new ContainerStartError(`container ${c.id} was removed while starting`, "start"),
      );
    }
    if (c.status === "running") this.exit(c, KILLED_EXIT, false);
    this.clearTimer(c);
    this.clearHealthTimer(c);
    c.status = "removing";
    this.emit(c, "destroy");
    return Promise.resolve();
  }

  inspect(id: string): Promise<ContainerState | undefined> {
    const c = this.find(id);
    return Promise.resolve(c && this.stateOf(c));
  }

  list(labels: Readonly<Record<string, string>>): Promise<ContainerState[]> {
    const wanted = Object.entries(labels);
    const states: ContainerState[] = [];
    for (const c of this.byId.values()) {
      if (wanted.every(([key, value]) => c.labels[key] === value)) states.push(this.stateOf(c));
    }
    return Promise.resolve(states);
  }

  stats(id: string): Promise<ContainerStats | undefined> {
    const c = this.find(id);
    if (!c || c.status !== "running" || c.startedAt === undefined) {
      return Promise.resolve(undefined);
    }
    const now = this.clock.now();
    const ranNanos = ((now - c.startedAt) / this.timeScale) * 1e6;
    const upNanos = ((now - this.bootedAt) / this.timeScale + HOST_UPTIME_AT_BOOT_MS) * 1e6;
    return Promise.resolve({
      cpuNanos: Math.round(ranNanos * Math.min(c.program.cpuCores, this.cpus)),
      systemCpuNanos: Math.round(upNanos * this.cpus),
      onlineCpus: this.cpus,
      memoryBytes: Math.round(c.program.memoryMiB * MIB),
      memoryLimitBytes: (c.memoryLimitMiB ?? this.memoryMiB) * MIB,
      at: new Date(now),
    });
  }

  events(signal: AbortSignal): AsyncIterable<RuntimeEvent> {
    // Subscribed at once, not at the first next(): nothing between the call and the loop is lost.
    const feed = new HollowEventFeed(signal, (f) => this.feeds.delete(f));
    if (!feed.closed) this.feeds.add(feed);
    return feed;
  }

  /**
   * Cancels every pending timer and start, and ends every event stream: for tests that
   * throw a hollow host away. A container being stopped is killed (so the stop settles);
   * the others keep the state they had.
   */
  dispose(): void {
    for (const c of this.byId.values()) {
      const starting = c.starting;
      c.starting = undefined;
      if (c.stopping) this.exit(c, KILLED_EXIT, false);
      this.clearTimer(c);
      this.clearHealthTimer(c);
      starting?.reject(new ContainerStartError("hollow runtime disposed", "start"));
    }
    for (const feed of [...this.feeds]) feed.close();
  }

  // ---- lifecycle ----

  private beginStart(c: HollowContainer): Promise<void> {
    let resolveStart!: () => void;
    let rejectStart!: (error: Error) => void;
    const promise = new Promise<void>((resolve, reject) => {
      resolveStart = resolve;
      rejectStart = reject;
    });
    const pending: PendingStart = { promise, reject: rejectStart };
    c.starting = pending;
    const finish = () => {
      if (c.starting !== pending) return; // removed or disposed meanwhile
      c.starting = undefined;
      try {
        this.run(c);
        resolveStart();
      } catch (error) {
        rejectStart(error as Error);
      }
    };
    const latency = this.sampleLatency();
    if (latency > 0) this.setTimer(c, "start", latency, false, finish);
    else queueMicrotask(finish);
    return promise;
  }

  /** The end of a start: checks, ports, then "running" and the program's timers. */
  private run(c: HollowContainer): void {
    const network = this.networkOf(c);
    if (network === null) {
      this.failStart(c, `network ${(c.network as { network: string }).network} not found`);
    }
    if (c.network.mode === "container") {
      // Joining another container's network namespace needs that container running.
      const owner = this.find(c.network.container);
      if (owner?.status !== "running") {
        this.failStart(c, `cannot join network of a non running container: ${c.network.container}`);
      }
    }
    if (this.failureRate > 0 && this.random() < this.failureRate) {
      this.failStart(c, "hollow: simulated start failure (failureRate)");
    }
    const ports = this.takePorts(c);
    c.status = "running";
    c.startedAt = this.clock.now();
    c.finishedAt = undefined;
    c.exitCode = undefined;
    c.oomKilled = false;
    c.error = undefined;
    c.stopping = false;
    c.ports = ports;
    c.ipAddress = network && nextAddress(network);
    c.health = c.healthPlan && "starting";
    this.emit(c, "start");

    const program = c.program;
    if (program.memoryMiB > (c.memoryLimitMiB ?? this.memoryMiB)) {
      this.setTimer(c, "exit", 0, true, () => this.exit(c, KILLED_EXIT, true));
    } else if (program.runsForSeconds !== undefined) {
      const code = program.exitCode;
      this.setTimer(c, "exit", this.simulatedMs(program.runsForSeconds), true, () =>
        this.exit(c, code, false),
      );
    }
    const plan = c.healthPlan;
    if (plan) {
      this.timers++;
      c.healthTimer = this.clock.setTimeout(
        () => {
          c.healthTimer = undefined;
          this.timers--;
          c.health = plan.status;
          this.emit(c, "health_status");
        },
        this.simulatedMs(plan.atSeconds),
        true,
      );
    }
  }

  private failStart(c: HollowContainer, message: string): never {
    c.exitCode = FAILED_START_EXIT;
    c.error = message;
    throw new ContainerStartError(message, "start");
  }

  private exit(c: HollowContainer, exitCode: number, oomKilled: boolean): void {
    this.clearTimer(c);
    this.clearHealthTimer(c);
    for (const port of c.ports) this.ports.release(port.protocol, port.hostPort);
    c.ports = EMPTY_PORTS;
    c.ipAddress = undefined;
    c.status = "exited";
    c.exitCode = exitCode;
    c.oomKilled = oomKilled;
    c.finishedAt = this.clock.now();
    c.stopping = false;
    if (oomKilled) this.emit(c, "oom");
    this.emit(c, "die");
    const waiters = c.exitWaiters;
    c.exitWaiters = undefined;
    if (waiters) for (const wake of waiters) wake();
  }

  /** Resolves once the container is no longer running. */
  private exited(c: HollowContainer): Promise<void> {
    if (c.status !== "running") return Promise.resolve();
    return new Promise((resolve) => (c.exitWaiters ??= []).push(resolve));
  }

  /** Host ports for a start, all or none; fails the start like Docker when it cannot. */
  private takePorts(c: HollowContainer): readonly ObservedPortBinding[] {
    const mode = c.network.mode;
    if (c.portBindings.length === 0 || mode === "host" || mode === "none" || mode === "container") {
      return EMPTY_PORTS;
    }
    const taken: ObservedPortBinding[] = [];
    for (const binding of c.portBindings) {
      const hostIp = binding.hostIp || "0.0.0.0";
      let hostPort = binding.hostPort;
      let failure: string | undefined;
      if (hostPort === 0) {
        hostPort = this.ports.takeDynamic(binding.protocol) ?? 0;
        if (hostPort === 0) failure = `Bind for ${hostIp}:0 failed: all ports are allocated`;
      } else if (!this.ports.take(binding.protocol, hostPort)) {
        failure = `Bind for ${hostIp}:${hostPort} failed: port is already allocated`;
      }
      if (failure !== undefined) {
        for (const port of taken) this.ports.release(port.protocol, port.hostPort);
        this.failStart(
          c,
          `driver failed programming external connectivity on endpoint ${c.name}: ${failure}`,
        );
      }
      taken.push(
        Object.freeze({
          containerPort: binding.containerPort,
          hostPort,
          protocol: binding.protocol,
          hostIp,
        }),
      );
    }
    return Object.freeze(taken);
  }

  /** The network a start attaches to; undefined for host/none, null when it is gone. */
  private networkOf(c: HollowContainer): HollowNetwork | undefined | null {
    switch (c.network.mode) {
      case "bridge":
        return this.bridge;
      case "host":
      case "none":
      case "container": // the address is the other container's
        return undefined;
      case "network":
        return this.networks.get(c.network.network) ?? null;
    }
  }

  // ---- timers ----

  private setTimer(
    c: HollowContainer,
    kind: "start" | "exit" | "kill",
    ms: number,
    background: boolean,
    callback: () => void,
  ): void {
    this.clearTimer(c);
    this.timers++;
    c.timerKind = kind;
    c.timerDue = this.clock.now() + ms;
    c.timer = this.clock.setTimeout(
      () => {
        c.timer = undefined;
        c.timerKind = undefined;
        this.timers--;
        callback();
      },
      ms,
      background,
    );
  }

  private clearTimer(c: HollowContainer): void {
    if (c.timer === undefined) return;
    this.clock.clearTimeout(c.timer);
    c.timer = undefined;
    c.timerKind = undefined;
    this.timers--;
  }

  private clearHealthTimer(c: HollowContainer): void {
    if (c.healthTimer === undefined) return;
    this.clock.clearTimeout(c.healthTimer);
    c.healthTimer = undefined;
    this.timers--;
  }

  // ---- helpers ----

  private find(idOrName: string): HollowContainer | undefined {
    return this.byId.get(idOrName) ?? this.byName.get(idOrName.replace(/^\//, ""));
  }

  private stateOf(c: HollowContainer): ContainerState {
    return {
      id: c.id,
      name: c.name,
      image: c.image,
      labels: c.labels,
      status: c.status,
      ...(c.exitCode !== undefined ? { exitCode: c.exitCode } : {}),
      oomKilled: c.oomKilled,
      ...(c.error !== undefined ? { error: c.error } : {}),
      createdAt: new Date(c.createdAt),
      ...(c.startedAt !== undefined ? { startedAt: new Date(c.startedAt) } : {}),
      ...(c.finishedAt !== undefined ? { finishedAt: new Date(c.finishedAt) } : {}),
      ...(c.health !== undefined ? { health: c.health } : {}),
      ports: c.ports,
      ...(c.ipAddress !== undefined
        ? { ipAddress: c.ipAddress, macAddress: hollowMacAddress(c.ipAddress) }
        : {}),
      restartCount: c.restartCount,
    };
  }

  private emit(c: HollowContainer, action: RuntimeEvent["action"]): void {
    if (this.feeds.size === 0) return;
    const event: RuntimeEvent = { containerId: c.id, action, labels: c.labels };
    for (const feed of this.feeds) feed.push(event);
  }

  private sampleLatency(): number {
    const { min, max } = this.latency;
    return max === min ? min : min + this.random() * (max - min);
  }

  private simulatedMs(seconds: number): number {
    return seconds * 1000 * this.timeScale;
  }

  /** 64 hex digits like Docker's; unique per process (runtime serial, container serial). */
  private nextId(): string {
    const n = ++this.containerSerial;
    let mix = Math.imul(this.serial, 0x9e3779b1) ^ Math.imul(n, 0x85ebca6b);
    const parts = [hex8(this.serial), hex8(n)];
    for (let i = 0; i < 6; i++) {
      mix = Math.imul(mix ^ (mix >>> 16), 0x7feb352d);
      mix = Math.imul(mix ^ (mix >>> 15), 0x846ca68b);
      parts.push(hex8(mix ^ (mix >>> 16)));
    }
    // join makes one flat string; += would keep a rope of eight pieces per id.
    return parts.join("");
  }
}

/** The health status a container settles on, and when, from its check and its program. */
function planHealth(
  check: HealthCheckSpec,
  environment: Readonly<Record<string, string>>,
): HealthPlan | undefined {
  const interval = check.intervalSeconds > 0 ? check.intervalSeconds : 30;
  const timeout = check.timeoutSeconds > 0 ? check.timeoutSeconds : 30;
  const retries = check.retries > 0 ? check.retries : 3;
  const probe = evaluateProbe(check.test, timeout, environment);
  if (probe === undefined) return undefined;
  if (probe === "pass") return { atSeconds: interval, status: "healthy" };
  // Checks run at k × interval; failures inside the start period do not count.
  const firstCounted = Math.max(1, Math.ceil(Math.max(0, check.startPeriodSeconds) / interval));
  return { atSeconds: (firstCounted + retries - 1) * interval, status: "unhealthy" };
}

/** Docker's MAC for an address: 02:42 then the IPv4 address's four bytes. */
export function hollowMacAddress(ip: string): string {
  const bytes = ip.split(".").map((octet) => Number(octet).toString(16).padStart(2, "0"));
  return ["02", "42", ...bytes].join(":");
}

/** A container address on a network, cycling through the network's host numbers. */
function nextAddress(network: HollowNetwork): string {
  const host = network.nextHost;
  if (network.prefix.startsWith("172.")) {
    // The default bridge: a /16.
    network.nextHost = host >= 65533 ? 2 : host + 1;
    const low = host & 255;
    if (low === 0 || low === 255) return nextAddress(network);
    return `${network.prefix}.${host >> 8}.${low}`;
  }
  network.nextHost = host >= 254 ? 2 : host + 1;
  return `${network.prefix}.${host}`;
}

/** A reference without a tag or digest means `:latest`, as Docker reads it. */
export function imageReference(image: string): string {
  if (image.includes("@")) return image;
  const lastSegment = image.slice(image.lastIndexOf("/") + 1);
  return lastSegment.includes(":") ? image : `${image}:latest`;
}

function hex8(n: number): string {
  return (n >>> 0).toString(16).padStart(8, "0");
}
