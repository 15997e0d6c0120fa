import type { Logger } from "../../../shared/log/index.js";
import type { AgentClock } from "../agentClock.js";
import type { ContainerState, LogLine, LogReadOptions } from "../runtime/containerRuntime.js";
import { shippingTargetOf } from "./awslogsLabels.js";
import { ContainerLogFollower } from "./containerLogFollower.js";
import type { LogSink } from "./logSink.js";
import type { LogShipperSettings } from "./shipperSettings.js";

export interface LogShipperOptions {
  readonly readLogs: (id: string, options: LogReadOptions) => AsyncIterable<LogLine>;
  readonly sink: LogSink;
  readonly settings: LogShipperSettings;
  readonly clock: AgentClock;
  readonly log: Logger;
}

/**
 * Keeps one follower per awslogs container of this agent (services/agent/logs/):
 * `sync` with the runtime's containers starts a follower for each one not yet
 * followed (after an agent restart: every one, each resuming at its stream's
 * cursor), and forgets removed ones. A follower whose container stopped ends
 * once it shipped everything; the container is followed again if it restarts.
 */
export class LogShipper {
  private readonly followers = new Map<string, ContainerLogFollower>();
  /** Containers whose log was shipped to the end, by the start time it had then. */
  private readonly finished = new Map<string, number>();
  private stopped = false;

  constructor(private readonly o: LogShipperOptions) {}

  sync(containers: readonly ContainerState[]): void {
    if (this.stopped) return;
    const present = new Set<string>();
    for (const c of containers) {
      const target = shippingTargetOf(c);
      if (!target) continue;
      present.add(c.id);
      if (this.followers.has(c.id)) continue;
      const startedAt = c.startedAt?.getTime() ?? 0;
      if (c.status === "created") continue;
      if (this.finished.get(c.id) === startedAt && c.status !== "running") continue;
      const follower = new ContainerLogFollower({
        containerId: c.id,
        target,
        readLogs: this.o.readLogs,
        sink: this.o.sink,
        settings: this.o.settings,
        clock: this.o.clock,
        log: this.o.log,
      });
      this.followers.set(c.id, follower);
      void follower.done.then(() => {
        if (this.followers.get(c.id) === follower) this.followers.delete(c.id);
        this.finished.set(c.id, startedAt);
      });
    }
    for (const id of this.finished.keys()) if (!present.has(id)) this.finished.delete(id);
    for (const [id, follower] of this.followers) {
      if (!present.has(id)) {
        this.followers.delete(id);
        void follower.stop();
      }
    }
  }

  /** Containers followed now. */
  get following(): number {
    return this.followers.size;
  }

  /** Resolves once no follower runs (every followed container stopped and was shipped). */
  async whenDrained(): Promise<void> {
    while (this.followers.size > 0)
      await Promise.all([...this.followers.values()].map((f) => f.done));
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await Promise.all([...this.followers.values()].map((f) => f.stop()));
    this.followers.clear();
  }
}
