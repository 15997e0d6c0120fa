import type {
  Heartbeat,
  Manifest,
  RegisterReply,
  RegisterRequest,
  ReportBatchReply,
  StatsReport,
  TaskStateReportMessage,
} from "../../../shared/agent/protocol.js";

/**
 * What the agent says to and hears from the scheduler. Over NATS in production
 * (natsSchedulerLink.ts); in memory in the simulation tests.
 */
export interface SchedulerLink {
  /** Request: join the cluster. Rejects when the scheduler does not answer or refuses. */
  register(request: RegisterRequest): Promise<RegisterReply>;
  /** Request: the desired task set of this instance. */
  manifest(containerInstanceArn: string): Promise<Manifest>;
  /** Request: a task state change; resolves once the scheduler recorded it. */
  reportState(report: TaskStateReportMessage): Promise<void>;
  /**
   * Request: several task state changes, recorded together; resolves with the ones the
   * scheduler refused (every other one is recorded). Optional: a link without it sends
   * reports one by one.
   */
  reportStates?(reports: readonly TaskStateReportMessage[]): Promise<ReportBatchReply>;
  /** Publish, fire and forget. */
  heartbeat(heartbeat: Heartbeat): void;
  /** Publish, fire and forget. */
  stats(report: StatsReport): void;
  /** Calls `onNotify` on every "your manifest changed" hint; returns the unsubscribe. */
  onNotify(onNotify: (reason: string) => void): () => void;
  /** The connection to the scheduler's bus answers now. */
  reachable(): Promise<boolean>;
}

/** The scheduler answered with an error (its code says whether a retry can help). */
export class SchedulerRefusal extends Error {
  override readonly name = "SchedulerRefusal";
  constructor(
    readonly type: string,
    message: string,
    readonly retryable: boolean,
  ) {
    super(`${type}: ${message}`);
  }
}
