import type { Logger } from "../../../shared/log/index.js";
import { nextBatchSize, truncateMessage } from "../../../shared/logs/index.js";
import { backoffMs, sleep, type AgentClock } from "../agentClock.js";
import type { LogLine, LogReadOptions } from "../runtime/containerRuntime.js";
import { SchedulerRefusal } from "../scheduler/schedulerLink.js";
import type { ShippingTarget } from "./awslogsLabels.js";
import type { LogSink } from "./logSink.js";
import type { LogShipperSettings } from "./shipperSettings.js";

export interface FollowerOptions {
  readonly containerId: string;
  readonly target: ShippingTarget;
  readonly readLogs: (id: string, options: LogReadOptions) => AsyncIterable<LogLine>;
  readonly sink: LogSink;
  readonly settings: LogShipperSettings;
  readonly clock: AgentClock;
  readonly log: Logger;
}

interface Queued {
  readonly timeNs: bigint;
  readonly timestamp: number;
  readonly message: string;
}

/** Refusals that no retry can fix: the follower gives up on this container. */
const isFatal = (err: unknown): boolean =>
  err instanceof SchedulerRefusal &&
  (err.type === "AccessDeniedException" || err.type === "InvalidParameterException");

/**
 * Ships one container's log lines (I/O): asks the store for the stream's
 * cursor, reads the engine's log from there (skipping what is at or before
 * it), queues the lines and sends them in batches — every flush interval, or
 * at once when a batch is full — retrying a failed batch until it is stored.
 * When the queue is full it stops reading; the engine keeps the lines, so the
 * container never waits. Ends when the container stops and all is shipped.
 */
export class ContainerLogFollower {
  private readonly abort = new AbortController();
  private readonly queue: Queued[] = [];
  private ended = false;
  private wake: (() => void) | undefined;
  private room: (() => void) | undefined;
  /** Lines stored so far by this follower. */
  shipped = 0;
  /** Resolves when the follower is done (container stopped and drained, stopped, or refused). */
  readonly done: Promise<void>;

  constructor(private readonly o: FollowerOptions) {
    this.done = this.run().catch((err: unknown) =>
      this.o.log.error({ err, containerId: o.containerId }, "log follower failed"),
    );
  }

  /** Stops reading and sending (what is queued and not yet sent is read again next time). */
  async stop(): Promise<void> {
    this.abort.abort();
    this.wake?.();
    this.room?.();
    await this.done;
  }

  private get signal(): AbortSignal {
    return this.abort.signal;
  }

  private async run(): Promise<void> {
    const cursor = await this.cursor();
    if (cursor === "fatal" || this.signal.aborted) return;
    const flushing = this.flushLoop();
    let readNs = cursor;
    for (let attempt = 0; !this.signal.aborted; attempt++) {
      const skipUpTo = readNs;
      try {
        for await (const line of this.o.readLogs(this.o.containerId, {
          ...(skipUpTo === null ? {} : { sinceNs: skipUpTo }),
          follow: true,
          signal: this.signal,
        })) {
          if (skipUpTo !== null && line.timeNs <= skipUpTo) continue;
          this.queue.push({
            timeNs: line.timeNs,
            timestamp: Number(line.timeNs / 1_000_000n),
            message: truncateMessage(line.message, this.o.settings.maxEventBytes),
          });
          if (readNs === null || line.timeNs > readNs) readNs = line.timeNs;
          if (this.queue.length >= this.o.settings.batch.maxEvents) this.wake?.();
          while (this.queue.length >= this.o.settings.maxQueuedLines && !this.signal.aborted) {
            await new Promise<void>((resolve) => (this.room = resolve));
          }
          if (this.signal.aborted) break;
        }
        break; // the container stopped: its log is complete
      } catch (err) {
        if (this.signal.aborted) break;
        const wait = backoffMs(attempt, 500, 10_000);
        this.o.log.warn(
          { err, containerId: this.o.containerId, retryInMs: wait },
          "log read failed; resuming",
        );
        await sleep(this.o.clock, wait, this.signal);
      }
    }
    this.ended = true;
    this.wake?.();
    await flushing;
  }

  /** The stream's cursor, asking until the store answers; "fatal" when it refuses for good. */
  private async cursor(): Promise<bigint | null | "fatal"> {
    for (let attempt = 0; !this.signal.aborted; attempt++) {
      try {
        const reply = await this.o.sink.ship({ ...this.o.target, events: [] });
        return reply.cursorNs === null ? null : BigInt(reply.cursorNs);
      } catch (err) {
        if (isFatal(err)) {
          this.o.log.error({ err, containerId: this.o.containerId }, "log shipping refused");
          return "fatal";
        }
        const wait = backoffMs(attempt, 500, 30_000);
        this.o.log.warn(
          { err, retryInMs: wait, logGroup: this.o.target.logGroupName },
          "log cursor unavailable; retrying",
        );
        await sleep(this.o.clock, wait, this.signal);
      }
    }
    return "fatal";
  }

  private async flushLoop(): Promise<void> {
    let attempt = 0;
    while (!this.signal.aborted) {
      if (this.queue.length === 0 && this.ended) return;
      const full = this.queue.length >= this.o.settings.batch.maxEvents;
      if (!full && !this.ended) {
        await Promise.race([
          sleep(this.o.clock, this.o.settings.flushIntervalMs, this.signal),
          new Promise<void>((resolve) => (this.wake = resolve)),
        ]);
        this.wake = undefined;
        if (this.signal.aborted) return;
      }
      const n = nextBatchSize(this.queue, this.o.settings.batch);
      if (n === 0) continue;
      const batch = this.queue.slice(0, n);
      try {
        const reply = await this.o.sink.ship({
          ...this.o.target,
          events: batch.map((e) => ({ sourceTimeNs: e.timeNs.toString(), message: e.message })),
        });
        this.queue.splice(0, n);
        this.shipped += reply.stored;
        attempt = 0;
        this.room?.();
        this.room = undefined;
      } catch (err) {
        if (isFatal(err)) {
          this.o.log.error(
            { err, containerId: this.o.containerId },
            "log shipping refused; dropping the container's lines",
          );
          this.abort.abort();
          this.room?.();
          return;
        }
        const wait = backoffMs(attempt++, 500, 30_000);
        this.o.log.warn(
          { err, retryInMs: wait, queued: this.queue.length },
          "log batch failed; retrying",
        );
        await sleep(this.o.clock, wait, this.signal);
      }
    }
  }
}
