import type { NatsConnection } from "@nats-io/nats-core";
import { agentSubject } from "../../../shared/bus/index.js";
import { LogBatchReply, type LogBatch } from "../../../shared/logs/index.js";
import { unwrapReply } from "../scheduler/replyEnvelope.js";

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
    return LogBatchReply.parse(
      unwrapReply(reply.json(), { message: "the log ingest refused the batch", retryable: true }),
    );
  },
});
