import { spawn, execFile, type ChildProcess } from "node:child_process";
import { createInterface } from "node:readline";
import type { Logger } from "../../../../shared/log/index.js";

export interface HaproxyProcessOptions {
  readonly bin: string;
  /** The config file: the snapshot it starts from, and re-reads on reload. */
  readonly configPath: string;
  readonly log: Logger;
  /** Called after HAProxy died unexpectedly and was started again. */
  readonly onRestart?: () => void;
  /** Delay before a restart after an unexpected death (doubles up to 5 s while it keeps dying). */
  readonly restartDelayMs?: number;
}

export class HaproxyConfigError extends Error {
  override readonly name = "HaproxyConfigError";
  readonly retryable = false;
}

/** `haproxy -c`: whether a config file is valid, before it replaces the running one. */
export const checkConfig = (bin: string, configPath: string): Promise<void> =>
  new Promise((resolve, reject) => {
    execFile(bin, ["-c", "-q", "-f", configPath], (err, stdout, stderr) => {
      if (err) reject(new HaproxyConfigError(`${stderr}${stdout}`.trim() || err.message));
      else resolve();
    });
  });

/**
 * HAProxy run as a child in master-worker mode (`-W -db`: the master stays in
 * the foreground, so its death is the child's exit). A reload is SIGUSR2 to
 * the master: it re-reads the config file and starts a new worker, the old
 * one finishes its connections. An unexpected exit (crash, `kill -9`) starts
 * it again from the config file on disk, the last snapshot.
 */
export class HaproxyProcess {
  private child: ChildProcess | undefined;
  private stopping = false;
  private restartTimer: NodeJS.Timeout | undefined;
  private delay: number;
  private startedAt = 0;
  /** How many times it was started (the first start included). */
  starts = 0;

  constructor(private readonly options: HaproxyProcessOptions) {
    this.delay = options.restartDelayMs ?? 100;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  get running(): boolean {
    return this.child !== undefined;
  }

  start(): void {
    if (this.child || this.stopping) return;
    const { bin, configPath, log } = this.options;
    const child = spawn(bin, ["-W", "-db", "-f", configPath], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    this.child = child;
    this.starts++;
    this.startedAt = Date.now();
    for (const stream of [child.stdout, child.stderr]) {
      createInterface({ input: stream }).on("line", (line) =>
        log.info({ haproxy: line }, "haproxy"),
      );
    }
    child.on("error", (err) => log.error({ err }, "haproxy could not be started"));
    child.on("exit", (code, signal) => {
      if (this.child === child) this.child = undefined;
      if (this.stopping) return;
      // Quick deaths in a row back off; a long life resets the delay.
      if (Date.now() - this.startedAt > 10_000) this.delay = this.options.restartDelayMs ?? 100;
      log.warn(
        { code, signal, restartInMs: this.delay },
        "haproxy exited; restarting from the snapshot",
      );
      this.restartTimer = setTimeout(() => {
        this.restartTimer = undefined;
        this.start();
        this.options.onRestart?.();
      }, this.delay);
      this.delay = Math.min(this.delay * 2, 5_000);
    });
  }

  /** Re-reads the config file (SIGUSR2 to the master). */
  reload(): void {
    this.child?.kill("SIGUSR2");
  }

  /** Stops HAProxy (SIGTERM: hard stop) and waits for its exit. */
  async stop(timeoutMs = 5_000): Promise<void> {
    this.stopping = true;
    clearTimeout(this.restartTimer);
    const child = this.child;
    if (!child) return;
    const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
    child.kill("SIGTERM");
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
    await exited;
    clearTimeout(timer);
    this.child = undefined;
  }
}
