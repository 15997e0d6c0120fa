import {
  MAX_REPORTS_PER_BATCH,
  type ReportBatchReply,
  type TaskStateReportMessage,
} from "../../../shared/agent/protocol.js";
import type { Logger } from "../../../shared/log/index.js";
import { backoffMs, sleep, type AgentClock } from "../agentClock.js";

/** Sends one report; resolves once the scheduler recorded it. */
export type SendReport = (report: TaskStateReportMessage) => Promise<void>;
/** Sends several reports at once; resolves with the ones the scheduler refused. */
export type SendReports = (reports: readonly TaskStateReportMessage[]) => Promise<ReportBatchReply>;

/**
 * Task state changes on their way to the scheduler. Each is sent until the
 * scheduler acknowledges it, with backoff between tries: a scheduler outage delays
 * reports, never loses or reorders a task's reports (short of the agent itself
 * dying, after which the plan re-derives the state from the containers and
 * reports it again).
 *
 * Two things keep the traffic down when reports come faster than the scheduler
 * takes them:
 *  - coalescing: a report not yet handed to the scheduler is dropped when a newer
 *    report of the same task arrives. A report carries the task's whole state
 *    (every container, the times so far), so the newer one says everything the
 *    older said; the scheduler only misses the intermediate status (a PENDING
 *    between PROVISIONING and RUNNING). A report once sent is never dropped this way.
 *  - batching: with `sendMany`, everything waiting (up to MAX_REPORTS_PER_BATCH) goes
 *    in one request, which the scheduler records in one transaction.
 * A batch in flight is retried, whole or the part refused as retryable, before
 * anything newer is sent, so a task's reports reach the scheduler in order.
 */
export class ReportQueue {
  /** Not yet sent, at most one per task, oldest first (a Map keeps insertion order). */
  private readonly waiting = new Map<string, TaskStateReportMessage>();
  /** Handed to the scheduler and not yet acknowledged. */
  private inFlight: TaskStateReportMessage[] = [];
  private sending = false;
  private dropped = 0;
  private readonly abort = new AbortController();
  private drainWaiters: (() => void)[] = [];

  constructor(
    private readonly send: SendReport,
    private readonly clock: AgentClock,
    private readonly log: Logger,
    private readonly sendMany?: SendReports,
    private readonly maxBatch: number = MAX_REPORTS_PER_BATCH,
  ) {}

  /** Reports not yet acknowledged. */
  get length(): number {
    return this.waiting.size + this.inFlight.length;
  }

  /** Reports dropped because a newer one of the same task replaced them before they were sent. */
  get coalesced(): number {
    return this.dropped;
  }

  push(report: TaskStateReportMessage): void {
    if (this.waiting.delete(report.taskArn)) this.dropped++;
    this.waiting.set(report.taskArn, report);
    if (!this.sending) void this.pump();
  }

  /** Resolves once every queued report was acknowledged. */
  whenDrained(): Promise<void> {
    if (this.length === 0 && !this.sending) return Promise.resolve();
    return new Promise((resolve) => this.drainWaiters.push(resolve));
  }

  close(): void {
    this.abort.abort();
  }

  /** The oldest waiting reports, at most one batch, taken out of `waiting`. */
  private take(): TaskStateReportMessage[] {
    const batch: TaskStateReportMessage[] = [];
    for (const [taskArn, report] of this.waiting) {
      if (batch.length >= (this.sendMany ? this.maxBatch : 1)) break;
      batch.push(report);
      this.waiting.delete(taskArn);
    }
    return batch;
  }

  /** Sends the batch in flight; returns the reports to send again (refused as retryable). */
  private async deliver(
    batch: readonly TaskStateReportMessage[],
  ): Promise<TaskStateReportMessage[]> {
    if (batch.length === 1 || !this.sendMany) {
      await this.send(batch[0]!);
      return batch.slice(1);
    }
    const { refused } = await this.sendMany(batch);
    const again: TaskStateReportMessage[] = [];
    for (const r of refused) {
      const report = batch[r.index];
      if (report === undefined) continue;
      if (r.retryable) {
        again.push(report);
        continue;
      }
      this.log.warn(
        {
          taskArn: report.taskArn,
          lastStatus: report.lastStatus,
          refusal: r.type,
          reason: r.message,
        },
        "task state report refused; not sent again",
      );
    }
    return again;
  }

  private async pump(): Promise<void> {
    this.sending = true;
    try {
      let attempt = 0;
      while ((this.inFlight.length > 0 || this.waiting.size > 0) && !this.abort.signal.aborted) {
        if (this.inFlight.length === 0) this.inFlight = this.take();
        const sent = this.inFlight.length;
        let failure: unknown;
        try {
          this.inFlight = await this.deliver(this.inFlight);
          if (this.inFlight.length === 0) {
            attempt = 0;
            continue;
          }
          failure = new Error(`${this.inFlight.length} of ${sent} reports refused as retryable`);
        } catch (err) {
          failure = err;
        }
        const wait = backoffMs(attempt++);
        const head = this.inFlight[0];
        this.log.warn(
          {
            err: failure,
            taskArn: head?.taskArn,
            lastStatus: head?.lastStatus,
            reports: this.inFlight.length,
            retryInMs: wait,
          },
          "task state report not acknowledged; retrying",
        );
        await sleep(this.clock, wait, this.abort.signal);
      }
    } finally {
      this.sending = false;
      if (this.length === 0) {
        const waiters = this.drainWaiters;
        this.drainWaiters = [];
        for (const resolve of waiters) resolve();
      }
    }
  }
}
