import type { NatsConnection } from "@nats-io/nats-core";
import { agentSubject } from "../../../shared/bus/index.js";
import { LogBatchReply, type LogBatch } from "../../../shared/logs/index.js";
import { SchedulerRefusal } from "../scheduler/schedulerLink.js";

/** Where the agent ships log batches; the reply carries the stream's cursor. */
export interface LogSink {
  ship(batch: LogBatch): Promise<LogBatchReply>;
}

/** LogSink over NATS: a request on `<prefix>.agent.<agentId>.logs`, answered by an api replica. */
export const natsLogSink = (options: {
  readonly nc: NatsConnection;
  readonly prefix: string;
  readonly agentId: string;
  readonly timeoutMs: number;
}): LogSink => ({
  async ship(batch) {
    const reply = await options.nc.request(
      agentSubject(options.prefix, options.agentId, "logs"),
      JSON.stringify(batch),
      { timeout: options.timeoutMs },
    );
    const body = reply.json<{
      ok?: boolean;
      result?: unknown;
      error?: { type?: string; message?: string; retryable?: boolean };
    }>();
    if (body.ok) return LogBatchReply.parse(body.result);
    throw new SchedulerRefusal(
      body.error?.type ?? "ServerException",
      body.error?.message ?? "the log ingest refused the batch",
      body.error?.retryable ?? true,
    );
  },
});
