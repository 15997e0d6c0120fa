import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import type { NatsConnection, Subscription } from "@nats-io/nats-core";
import { eventSubject } from "../../../../shared/bus/index.js";
import type { Target } from "../../../../shared/events/loadBalancingEvents.js";
import type { Logger } from "../../../../shared/log/index.js";
import { LeaderSession } from "../../../../shared/relay/leaderSession.js";
import { Backoff, Wakeup } from "../../../../shared/relay/wakeup.js";
import type { DesiredState } from "./desiredState.js";
import { checkConfig, HaproxyProcess } from "./haproxyProcess.js";
import { reconcile, type ReconcilePlan, type TargetObservation } from "./reconcile.js";
import { adminSocketPath, renderConfig, serverStatePath } from "./renderConfig.js";
import { isRuntimeApiError, RuntimeApi } from "./runtimeApi.js";

/** Where HAProxy's observations go (the target group aggregate, in production). */
export interface TargetHealthReporter {
  recordTargetHealth(
    targetGroupArn: string,
    observations: readonly TargetObservation[],
  ): Promise<void>;
  recordTargetsDrained(targetGroupArn: string, targets: readonly Target[]): Promise<void>;
}

export interface HaproxyControllerOptions {
  /** `start`: run HAProxy as a child; `connect`: drive one started elsewhere through `socketPath`. */
  readonly mode: "start" | "connect";
  readonly bin: string;
  /** State directory: haproxy.cfg (the snapshot), admin.sock, servers.state. */
  readonly dir: string;
  /** The admin socket in `connect` mode (default `<dir>/admin.sock`). */
  readonly socketPath?: string;
  readonly loadDesired: () => Promise<DesiredState>;
  readonly reporter: TargetHealthReporter;
  readonly log: Logger;
  readonly clock?: () => Date;
  /** A pass at least this often (default 500 ms). */
  readonly intervalMs?: number;
  /** With a database URL, only the holder of an advisory lock runs HAProxy (one replica). */
  readonly databaseUrl?: string;
  /** Names the lock (and the NATS subjects); default `flotilla`. */
  readonly prefix?: string;
  /** Target group and load balancer events wake the controller early (a hint). */
  readonly nc?: NatsConnection;
  /** How often a standby tries to take the lead (default 3 s). */
  readonly standbyRetryMs?: number;
}

export interface ControllerStatus {
  readonly leader: boolean;
  readonly passes: number;
  readonly reloads: number;
  readonly lastError: string | undefined;
}

/**
 * Keeps a real HAProxy on the load balancing projections, level-triggered:
 * every `intervalMs` (and at once when a target group or load balancer event
 * passes on NATS) it reads the desired state and `show stat`, reloads when
 * frontends or backends changed, adds, drains and deletes servers through the
 * Runtime API, snapshots the config (and the servers' state) to disk after
 * every change, and reports target health and drained targets. One scheduler
 * replica leads at a time (a Postgres advisory lock); the others stand by.
 */
export class HaproxyController {
  private readonly wake = new Wakeup();
  private readonly api: RuntimeApi;
  private readonly configPath: string;
  private process: HaproxyProcess | undefined;
  private loop: Promise<void> | undefined;
  private subs: Subscription[] = [];
  private stopping = false;
  private leader = false;
  private loadedStructure = "";
  private writtenConfig = "";
  private writtenState = "";
  private passes = 0;
  private reloads = 0;
  private lastError: string | undefined;
  private readonly passListeners = new Set<() => void>();

  constructor(private readonly options: HaproxyControllerOptions) {
    this.api = new RuntimeApi(options.socketPath ?? adminSocketPath(options.dir));
    this.configPath = `${options.dir}/haproxy.cfg`;
  }

  get status(): ControllerStatus {
    return {
      leader: this.leader,
      passes: this.passes,
      reloads: this.reloads,
      lastError: this.lastError,
    };
  }

  /** The HAProxy child (start mode, while leading). */
  get haproxy(): HaproxyProcess | undefined {
    return this.process;
  }

  get runtimeApi(): RuntimeApi {
    return this.api;
  }

  start(): void {
    const { nc, prefix = "flotilla" } = this.options;
    if (nc) {
      for (const aggregate of ["targetGroup", "loadBalancer"]) {
        this.subs.push(
          nc.subscribe(`${eventSubject(prefix, undefined, aggregate, "")}>`, {
            callback: () => this.wake.signal(),
          }),
        );
      }
    }
    this.loop = this.options.databaseUrl
      ? this.runWithLease(this.options.databaseUrl)
      : this.lead();
  }

  /** Wakes the loop for a pass now (a hint). */
  touch(): void {
    this.wake.signal();
  }

  /** Resolves after the next complete pass. */
  nextPass(timeoutMs = 10_000): Promise<void> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.passListeners.delete(done);
        reject(new Error("no HAProxy controller pass in time"));
      }, timeoutMs);
      const done = () => {
        clearTimeout(timer);
        resolve();
      };
      this.passListeners.add(done);
      this.wake.signal();
    });
  }

  /** Stops the loop and the HAProxy it started. */
  async stop(): Promise<void> {
    this.stopping = true;
    for (const s of this.subs) s.unsubscribe();
    this.wake.signal();
    await this.loop;
  }

  private async runWithLease(databaseUrl: string): Promise<void> {
    const backoff = new Backoff(100, 5_000);
    const key = `flotilla.haproxy:${this.options.prefix ?? "flotilla"}`;
    while (!this.stopping) {
      let session: LeaderSession | undefined;
      try {
        session = await LeaderSession.open(databaseUrl, "flotilla-haproxy");
        const s = session;
        s.onLost(() => this.wake.signal());
        let announced = false;
        while (!this.stopping && !(await s.tryLock(key))) {
          if (!announced) this.options.log.info({}, "another scheduler runs HAProxy; standing by");
          announced = true;
          await this.wake.sleep(this.options.standbyRetryMs ?? 3_000);
          s.assertAlive();
        }
        if (this.stopping) break;
        await this.lead(s);
        backoff.reset();
      } catch (err) {
        this.lastError = String(err);
        this.options.log.warn({ err }, "HAProxy controller lease failed; retrying");
        await this.wake.sleep(backoff.next());
      } finally {
        await session?.close();
      }
    }
  }

  private async lead(session?: LeaderSession): Promise<void> {
    const { log } = this.options;
    this.leader = true;
    log.info({ mode: this.options.mode, dir: this.options.dir }, "HAProxy controller leads");
    try {
      await mkdir(this.options.dir, { recursive: true, mode: 0o700 });
      if (this.options.mode === "start") {
        // Start from the current desired state: the snapshot is fresh.
        const desired = await this.options.loadDesired();
        await this.writeSnapshot(desired, true);
        this.loadedStructure = renderConfig(desired, { dir: this.options.dir, servers: false });
        this.process = new HaproxyProcess({
          bin: this.options.bin,
          configPath: this.configPath,
          log: log.child({ component: "haproxy" }),
          onRestart: () => {
            // The restarted HAProxy loaded the snapshot on disk.
            this.loadedStructure = this.snapshotStructure;
            this.wake.signal();
          },
        });
        this.process.start();
      }
      while (!this.stopping) {
        session?.assertAlive();
        try {
          await this.pass();
          this.lastError = undefined;
        } catch (err) {
          this.lastError = String(err);
          if (isRuntimeApiError(err) && err.retryable)
            log.debug({ err }, "HAProxy not reachable yet");
          else log.warn({ err }, "HAProxy controller pass failed");
        }
        this.passes++;
        for (const fn of [...this.passListeners]) fn();
        this.passListeners.clear();
        await this.wake.sleep(this.options.intervalMs ?? 500);
      }
    } finally {
      this.leader = false;
      await this.process?.stop();
      this.process = undefined;
    }
  }

  private snapshotStructure = "";

  /** One level-triggered pass. */
  private async pass(): Promise<void> {
    const { dir, log } = this.options;
    const desired = await this.options.loadDesired();
    const observed = await this.api.showStat();
    const structure = renderConfig(desired, { dir, servers: false });
    const plan: ReconcilePlan = reconcile({
      desired,
      observed,
      structure,
      loadedStructure: this.loadedStructure,
      now: (this.options.clock ?? (() => new Date()))(),
    });
    if (plan.reload) {
      if (this.options.mode === "connect") {
        // Not ours to reload: the operator's HAProxy must carry the frontends and backends.
        if (this.loadedStructure !== structure)
          log.warn({}, "HAProxy (connect mode) needs a reload for new frontends/backends");
        this.loadedStructure = structure;
      } else {
        await this.saveServerState();
        await this.writeSnapshot(desired, true);
        this.process?.reload();
        this.reloads++;
        this.loadedStructure = structure;
        log.info({ reloads: this.reloads }, "HAProxy reloaded for new frontends/backends");
        await this.waitForStructure(desired);
      }
    }
    for (const c of plan.commands) {
      try {
        await this.api.run(c.line);
        log.info({ command: c.line }, "HAProxy runtime command");
      } catch (err) {
        log.warn({ err, command: c.line }, "HAProxy runtime command failed");
      }
    }
    await this.writeSnapshot(desired, false);
    await this.saveServerState();
    for (const h of plan.health) {
      await this.options.reporter.recordTargetHealth(h.targetGroupArn, h.observations);
    }
    for (const d of plan.drained) {
      await this.options.reporter.recordTargetsDrained(d.targetGroupArn, d.targets);
    }
  }

  /** After SIGUSR2 the socket answers from the new worker once it is up. */
  private async waitForStructure(desired: DesiredState): Promise<void> {
    const want = new Set(desired.listeners.map((l) => l.port));
    const deadline = Date.now() + 10_000;
    while (Date.now() < deadline && !this.stopping) {
      try {
        const s = await this.api.showStat();
        const ports = new Set(s.frontends.map((f) => Number(f.replace(/^listener_/, ""))));
        if (
          s.backends.length === desired.targetGroups.length &&
          [...want].every((p) => ports.has(p)) &&
          ports.size === want.size
        )
          return;
      } catch {
        // reloading
      }
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  /** Writes haproxy.cfg when the snapshot changed (validated first when asked). */
  private async writeSnapshot(desired: DesiredState, validate: boolean): Promise<void> {
    const text = renderConfig(desired, { dir: this.options.dir });
    if (text === this.writtenConfig) return;
    const tmp = `${this.configPath}.tmp`;
    await writeFile(tmp, text, { mode: 0o600 });
    if (validate && this.options.mode === "start") await checkConfig(this.options.bin, tmp);
    await rename(tmp, this.configPath);
    this.writtenConfig = text;
    this.snapshotStructure = renderConfig(desired, { dir: this.options.dir, servers: false });
  }

  /**
   * Saves `show servers state` as the server state file the config loads
   * (`load-server-state-from-file`): a restarted or reloaded HAProxy keeps
   * each server's UP/DOWN and drain state instead of assuming UP.
   */
  private async saveServerState(): Promise<void> {
    try {
      const state = await this.api.showServersState();
      if (!state.startsWith("1\n")) return;
      // The age column (srv_time_since_last_change) changes every second; compare without it.
      const comparable = state
        .split("\n")
        .map((l) =>
          l.startsWith("#")
            ? l
            : l
                .split(" ")
                .filter((_, i) => i !== 9)
                .join(" "),
        )
        .join("\n");
      if (comparable === this.writtenState) return;
      const tmp = `${serverStatePath(this.options.dir)}.tmp`;
      await writeFile(tmp, state, { mode: 0o600 });
      await rename(tmp, serverStatePath(this.options.dir));
      this.writtenState = comparable;
    } catch (err) {
      this.options.log.debug({ err }, "server state not saved");
    }
  }
}

/** The snapshot currently on disk (for tests and operators). */
export const readSnapshot = (dir: string): Promise<string> =>
  readFile(`${dir}/haproxy.cfg`, "utf8");
