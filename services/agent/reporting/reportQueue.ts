import type { TaskStateReportMessage } from "../../../shared/agent/protocol.js";
import type { Logger } from "../../../shared/log/index.js";
import { backoffMs, sleep, type AgentClock } from "../agentClock.js";

/**
 * Task state changes on their way to the scheduler, in order. Each is sent until the
 * scheduler acknowledges it, with backoff between tries: a scheduler outage delays
 * reports, never loses or reorders them (short of the agent itself dying, after which
 * the plan re-derives the state from the containers and reports it again).
 */
export class ReportQueue {
  private readonly queue: TaskStateReportMessage[] = [];
  private sending = false;
  private readonly abort = new AbortController();
  private drainWaiters: (() => void)[] = [];

  constructor(
    private readonly send: (report: TaskStateReportMessage) => Promise<void>,
    private readonly clock: AgentClock,
    private readonly log: Logger,
  ) {}

  get length(): number {
    return this.queue.length;
  }

  push(report: TaskStateReportMessage): void {
    this.queue.push(report);
    if (!this.sending) void this.pump();
  }

  /** Resolves once every queued report was acknowledged. */
  whenDrained(): Promise<void> {
    if (this.queue.length === 0 && !this.sending) return Promise.resolve();
    return new Promise((resolve) => this.drainWaiters.push(resolve));
  }

  close(): void {
    this.abort.abort();
  }

  private async pump(): Promise<void> {
    this.sending = true;
    try {
      let attempt = 0;
      while (this.queue.length > 0 && !this.abort.signal.aborted) {
        const head = this.queue[0] as TaskStateReportMessage;
        try {
          await this.send(head);
          this.queue.shift();
          attempt = 0;
        } catch (err) {
          const wait = backoffMs(attempt++);
          this.log.warn(
            { err, taskArn: head.taskArn, lastStatus: head.lastStatus, retryInMs: wait },
            "task state report not acknowledged; retrying",
          );
          await sleep(this.clock, wait, this.abort.signal);
        }
      }
    } finally {
      this.sending = false;
      if (this.queue.length === 0) {
        const waiters = this.drainWaiters;
        this.drainWaiters = [];
        for (const resolve of waiters) resolve();
      }
    }
  }
}
