import type { Kysely } from "kysely";
import type { Database } from "../../../../shared/db/index.js";
import {
  readAll,
  type Checkpoint,
  type RecordedEvent,
} from "../../../../shared/eventstore/index.js";
import type { Logger } from "../../../../shared/log/index.js";
import { headOfLog } from "./headOfLog.js";

export type EventListener = (events: readonly RecordedEvent[]) => void;

/**
 * Follows the event log for the console's live pages: one reader per api
 * process, polling `readAll` in (transaction id, position) order only while
 * at least one browser listens, from the head of the log when the first one
 * arrived. Listeners get each batch as it is read.
 */
export class LogFollower {
  private readonly listeners = new Set<EventListener>();
  private checkpoint: Checkpoint | undefined;
  private starting: Promise<Checkpoint> | undefined;
  private timer: NodeJS.Timeout | undefined;
  private running = false;
  private stopped = false;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly log: Logger,
    private readonly pollMs: number,
  ) {}

  /**
   * Starts listening; resolves once the follower holds its place in the log,
   * so every event committed after that reaches the listener. The returned
   * function stops.
   */
  async subscribe(listener: EventListener): Promise<() => void> {
    if (this.checkpoint === undefined) {
      this.starting ??= headOfLog(this.db).finally(() => {
        this.starting = undefined;
      });
      const head = await this.starting;
      this.checkpoint ??= head;
    }
    this.listeners.add(listener);
    this.schedule(0);
    return () => {
      this.listeners.delete(listener);
      if (this.listeners.size === 0) this.idle();
    };
  }

  get listenerCount(): number {
    return this.listeners.size;
  }

  stop(): void {
    this.stopped = true;
    this.listeners.clear();
    this.idle();
  }

  private idle(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    // The next listener starts from the head again: a page reloads what it shows when it connects.
    this.checkpoint = undefined;
  }

  private schedule(ms: number): void {
    if (this.stopped || this.timer || this.running || this.listeners.size === 0) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.poll();
    }, ms);
  }

  private async poll(): Promise<void> {
    this.running = true;
    let delay = this.pollMs;
    try {
      this.checkpoint ??= await headOfLog(this.db);
      for (;;) {
        const page = await readAll(this.db, this.checkpoint, 500);
        if (this.listeners.size === 0) break;
        this.checkpoint = page.checkpoint;
        if (page.events.length > 0) {
          for (const listener of this.listeners) {
            try {
              listener(page.events);
            } catch (err) {
              this.log.warn({ err }, "console live listener failed");
            }
          }
        }
        if (page.events.length < 500) break;
      }
    } catch (err) {
      delay = Math.max(this.pollMs, 2_000);
      this.log.warn({ err }, "console live feed could not read the event log; retrying");
    } finally {
      this.running = false;
    }
    this.schedule(delay);
  }
}
