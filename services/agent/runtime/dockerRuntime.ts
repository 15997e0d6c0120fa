import { readFile } from "node:fs/promises";
import Docker from "dockerode";
import type { Logger } from "../../../shared/log/index.js";
import type { TaskLimits } from "../tasks/taskLimits.js";
import { DEFAULT_PAUSE_BINARY, pauseBuildContext } from "./pauseImage.js";
import { TaskCgroups } from "./taskCgroups.js";
import {
  ContainerStartError,
  ImagePullError,
  NetworkSetupError,
  type ContainerRuntime,
  type ContainerSpec,
  type ContainerState,
  type ContainerStats,
  type LogLine,
  type LogReadOptions,
  type RuntimeEvent,
  type RuntimeInfo,
} from "./containerRuntime.js";
import { dockerContainerLogs } from "../logs/dockerContainerLogs.js";
import { imageReference, toDockerCreateOptions } from "./dockerCreateOptions.js";
import {
  DOCKER_EVENT_FILTER,
  toContainerState,
  toContainerStats,
  toRuntimeEvent,
  toRuntimeInfo,
  type DockerEventJson,
  type DockerInfoJson,
} from "./dockerInspect.js";

export interface DockerRuntimeOptions {
  /** The engine's Unix socket; /var/run/docker.sock by default. */
  readonly socketPath?: string;
  /** An existing client instead (tests, or a TCP engine); wins over socketPath. */
  readonly docker?: Docker;
  /** The static busybox the pause image is built from (FLOTILLA_PAUSE_BINARY). */
  readonly pauseBinary?: string;
  /** Task cgroups (task-level limits); none: containers keep per-container limits only. */
  readonly cgroups?: { readonly root?: string; readonly log: Logger };
}

/**
 * ContainerRuntime over the Docker Engine API (dockerode). The mapping both ways is
 * pure and lives in dockerCreateOptions.ts and dockerInspect.ts; this class is the
 * I/O: which calls, which status codes are fine, which errors mean what.
 */
export class DockerRuntime implements ContainerRuntime {
  readonly docker: Docker;
  private readonly pauseBinary: string;
  private readonly pauseBuilds = new Map<string, Promise<void>>();
  private cgroups: Promise<TaskCgroups | undefined> | undefined;

  constructor(private readonly options: DockerRuntimeOptions = {}) {
    this.docker =
      options.docker ?? new Docker({ socketPath: options.socketPath ?? "/var/run/docker.sock" });
    this.pauseBinary = options.pauseBinary ?? DEFAULT_PAUSE_BINARY;
  }

  /**
   * A local pause image is used as it is; a missing one is built FROM scratch from the
   * static busybox (once, however many tasks ask at the same time); without a busybox, pulled.
   */
  async ensurePauseImage(image: string): Promise<void> {
    const ref = imageReference(image);
    const present = await this.docker
      .getImage(ref)
      .inspect()
      .then(
        () => true,
        (err: unknown) => {
          if (statusOf(err) === 404) return false;
          throw new ImagePullError(`inspect ${ref}: ${messageOf(err)}`, { cause: err });
        },
      );
    if (present) return;
    let build = this.pauseBuilds.get(ref);
    if (!build) {
      build = this.buildPauseImage(ref).finally(() => this.pauseBuilds.delete(ref));
      this.pauseBuilds.set(ref, build);
    }
    await build;
  }

  private async buildPauseImage(ref: string): Promise<void> {
    let busybox: Buffer;
    try {
      busybox = await readFile(this.pauseBinary);
    } catch (err) {
      // No busybox to build from: the image may still come from a registry.
      try {
        await this.ensureImage(ref);
        return;
      } catch (pullErr) {
        throw new ImagePullError(
          `pause image ${ref} is missing and cannot be built: no static busybox at ${this.pauseBinary} (${messageOf(err)}; install busybox-static or set FLOTILLA_PAUSE_BINARY), nor pulled (${messageOf(pullErr)})`,
          { cause: pullErr },
        );
      }
    }
    try {
      const progress = await this.docker.buildImage(pauseBuildContext(busybox) as never, {
        t: ref,
        rm: true,
        forcerm: true,
      });
      await followPull(this.docker, progress);
    } catch (err) {
      throw new ImagePullError(`build pause image ${ref}: ${messageOf(err)}`, { cause: err });
    }
  }

  private taskCgroups(): Promise<TaskCgroups | undefined> {
    const settings = this.options.cgroups;
    if (!settings) return Promise.resolve(undefined);
    this.cgroups ??= this.docker.info().then(
      (info: { CgroupDriver?: string }) =>
        new TaskCgroups({
          driver: info.CgroupDriver ?? "unknown",
          log: settings.log,
          ...(settings.root !== undefined ? { root: settings.root } : {}),
        }),
      (err: unknown) => {
        this.cgroups = undefined; // ask the engine again next time
        throw dockerError("info", err);
      },
    );
    return this.cgroups;
  }

  async prepareTaskCgroup(name: string, limits: TaskLimits): Promise<string | undefined> {
    return (await this.taskCgroups())?.prepare(name, limits);
  }

  async taskCgroupOomKills(name: string): Promise<number> {
    return (await (await this.taskCgroups())?.oomKills(name)) ?? 0;
  }

  async removeTaskCgroup(name: string): Promise<void> {
    await (await this.taskCgroups())?.remove(name);
  }

  /** The container's stdout/stderr lines from the engine's log (services/agent/logs/). */
  logs(id: string, options: LogReadOptions): AsyncIterable<LogLine> {
    return dockerContainerLogs(this.docker, id, options);
  }

  async info(): Promise<RuntimeInfo> {
    return toRuntimeInfo((await this.docker.info()) as DockerInfoJson);
  }

  async ensureImage(image: string): Promise<void> {
    const ref = imageReference(image);
    try {
      await this.docker.getImage(ref).inspect();
      return;
    } catch (err) {
      if (statusOf(err) !== 404) {
        throw new ImagePullError(`inspect ${ref}: ${messageOf(err)}`, { cause: err });
      }
    }
    try {
      const progress = await this.docker.pull(ref);
      await followPull(this.docker, progress);
    } catch (err) {
      throw new ImagePullError(`pull ${ref}: ${messageOf(err)}`, { cause: err });
    }
  }

  async createNetwork(name: string, labels: Readonly<Record<string, string>>): Promise<void> {
    try {
      await this.docker.createNetwork({
        Name: name,
        Driver: "bridge",
        CheckDuplicate: true,
        Labels: { ...labels },
      });
    } catch (err) {
      // Converging twice is normal: an existing network of that name is the goal reached.
      if (statusOf(err) === 409) return;
      // A refusal (Docker answers 404 when its address pools are used up) will not pass by
      // itself; a 5xx or a lost connection may, and is tried again.
      const status = statusOf(err);
      if (status !== undefined && status >= 400 && status < 500) {
        throw new NetworkSetupError(`create network ${name}: ${messageOf(err)}`, { cause: err });
      }
      throw dockerError(`create network ${name}`, err);
    }
  }

  async removeNetwork(name: string): Promise<void> {
    try {
      await this.docker.getNetwork(name).remove();
    } catch (err) {
      if (statusOf(err) === 404) return;
      throw dockerError(`remove network ${name}`, err);
    }
  }

  async createContainer(spec: ContainerSpec): Promise<string> {
    try {
      const container = await this.docker.createContainer(toDockerCreateOptions(spec));
      return container.id;
    } catch (err) {
      throw new ContainerStartError(messageOf(err), "create");
    }
  }

  async startContainer(id: string): Promise<void> {
    try {
      await this.docker.getContainer(id).start();
    } catch (err) {
      if (statusOf(err) === 304) return; // already running
      throw new ContainerStartError(messageOf(err), "start");
    }
  }

  async stopContainer(id: string, timeoutSeconds: number): Promise<void> {
    try {
      await this.docker.getContainer(id).stop({ t: wholeSeconds(timeoutSeconds) });
    } catch (err) {
      const status = statusOf(err);
      if (status === 304 || status === 404) return; // already stopped, or gone
      throw dockerError(`stop ${id}`, err);
    }
  }

  async restartContainer(id: string, timeoutSeconds: number): Promise<void> {
    try {
      await this.docker.getContainer(id).restart({ t: wholeSeconds(timeoutSeconds) });
    } catch (err) {
      throw new ContainerStartError(messageOf(err), "start");
    }
  }

  async removeContainer(id: string): Promise<void> {
    try {
      await this.docker.getContainer(id).remove({ force: true, v: true });
    } catch (err) {
      const status = statusOf(err);
      // 409: "removal of container … is already in progress" — it is going away.
      if (status === 404 || status === 409) return;
      throw dockerError(`remove ${id}`, err);
    }
  }

  async inspect(id: string): Promise<ContainerState | undefined> {
    try {
      return toContainerState(await this.docker.getContainer(id).inspect());
    } catch (err) {
      if (statusOf(err) === 404) return undefined;
      throw dockerError(`inspect ${id}`, err);
    }
  }

  async list(labels: Readonly<Record<string, string>>): Promise<ContainerState[]> {
    const summaries = await this.docker.listContainers({
      all: true,
      filters: { label: Object.entries(labels).map(([key, value]) => `${key}=${value}`) },
    });
    // The list output lacks exit code, OOM, health and times: inspect each. One that
    // vanished in between is simply not listed.
    const states = await Promise.all(summaries.map((summary) => this.inspect(summary.Id)));
    return states.filter((state): state is ContainerState => state !== undefined);
  }

  async stats(id: string): Promise<ContainerStats | undefined> {
    try {
      // one-shot: no second sample for precpu_stats, so no one-second wait (API ≥ 1.41).
      const json = await this.docker.getContainer(id).stats({ stream: false, "one-shot": true });
      return toContainerStats(json);
    } catch (err) {
      if (statusOf(err) === 404) return undefined;
      throw dockerError(`stats ${id}`, err);
    }
  }

  async *events(signal: AbortSignal): AsyncIterable<RuntimeEvent> {
    if (signal.aborted) return;
    let stream: NodeJS.ReadableStream;
    try {
      stream = await this.docker.getEvents({
        filters: { type: ["container"], event: [...DOCKER_EVENT_FILTER] },
        abortSignal: signal,
      });
    } catch (err) {
      if (signal.aborted) return;
      throw dockerError("events", err);
    }
    const readable = stream as NodeJS.ReadableStream & { destroy(): void };
    const onAbort = () => readable.destroy();
    signal.addEventListener("abort", onAbort, { once: true });
    let buffered = "";
    try {
      for await (const chunk of readable) {
        buffered += typeof chunk === "string" ? chunk : chunk.toString("utf8");
        let newline: number;
        while ((newline = buffered.indexOf("\n")) >= 0) {
          const line = buffered.slice(0, newline).trim();
          buffered = buffered.slice(newline + 1);
          if (line === "") continue;
          const event = toRuntimeEvent(JSON.parse(line) as DockerEventJson);
          if (event) yield event;
        }
      }
    } catch (err) {
      if (signal.aborted) return;
      throw dockerError("events", err);
    } finally {
      signal.removeEventListener("abort", onAbort);
      readable.destroy();
    }
  }
}

/** Reads a pull's (or build's) progress stream to its end; an `error` line is it failing. */
function followPull(docker: Docker, progress: NodeJS.ReadableStream): Promise<void> {
  return new Promise((resolve, reject) => {
    docker.modem.followProgress(progress, (err: Error | null, output: PullProgress[]) => {
      if (err) return reject(err);
      const failed = output.find((line) => line.error || line.errorDetail?.message);
      if (failed) return reject(new Error(failed.errorDetail?.message ?? failed.error));
      resolve();
    });
  });
}

interface PullProgress {
  readonly status?: string;
  readonly error?: string;
  readonly errorDetail?: { readonly message?: string };
}

/** Docker's HTTP status on a dockerode error, if it carries one. */
function statusOf(err: unknown): number | undefined {
  if (typeof err === "object" && err !== null && "statusCode" in err) {
    const status = err.statusCode;
    if (typeof status === "number") return status;
  }
  return undefined;
}

/** Docker's own message: the JSON body's, else the one inside dockerode's error text. */
function messageOf(err: unknown): string {
  if (typeof err === "object" && err !== null) {
    const json = "json" in err ? err.json : undefined;
    if (typeof json === "object" && json !== null && "message" in json) {
      const message = json.message;
      if (typeof message === "string" && message !== "") return message;
    }
    if (err instanceof Error) {
      // dockerode: "(HTTP code 500) server error - <Docker's message> " (streams carry no json).
      const wrapped = /^\(HTTP code \d+\) .*? - (.*)$/s.exec(err.message.trim());
      return (wrapped?.[1] ?? err.message).trim();
    }
  }
  return String(err);
}

function dockerError(what: string, err: unknown): Error {
  return new Error(`docker ${what}: ${messageOf(err)}`, { cause: err });
}

/** Docker's `t` is whole seconds. */
const wholeSeconds = (seconds: number): number => Math.max(0, Math.ceil(seconds));
