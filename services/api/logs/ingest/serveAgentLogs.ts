import type { NatsConnection, Subscription } from "@nats-io/nats-core";
import type { Kysely } from "kysely";
import type { Database } from "../../../../shared/db/index.js";
import { EcsError } from "../../../../shared/domain/errors.js";
import type { Logger } from "../../../../shared/log/index.js";
import {
  appendLogEvents,
  LogBatch,
  validateLogGroupName,
  validateLogStreamName,
  type LogBatchReply,
} from "../../../../shared/logs/index.js";
import { serveAgentRequests } from "../../agentRequests.js";
import { decideShippedLines } from "./shipIntoStore.js";
import { taskOwnership, type OwnsTask } from "./taskOwnership.js";

export interface AgentLogIngestOptions {
  readonly nc: NatsConnection;
  readonly prefix: string;
  readonly db: Kysely<Database>;
  readonly log: Logger;
  /** Whether the agent may ship this task's lines (default: the task was placed on its instance). */
  readonly ownsTask?: OwnsTask;
  readonly now?: () => number;
}

/** The queue group the api replicas share the agents' log batches in. */
export const LOG_INGEST_QUEUE = "logs";

/**
 * The api's log ingest: agents' batches (`<prefix>.agent.<id>.logs`,
 * shared/logs/agentLogBatch.ts) stored in the log store, each as one
 * transaction that also moves the stream's cursor. The reply carries the
 * cursor, so an agent resumes after it. An agent may ship only the lines of
 * tasks placed on its own instance.
 */
export const serveAgentLogs = (options: AgentLogIngestOptions): Subscription => {
  const { nc, prefix, db, log } = options;
  const now = options.now ?? Date.now;
  const owns = options.ownsTask ?? taskOwnership(db);
  const handle = async (agentId: string, batch: LogBatch): Promise<LogBatchReply> => {
    validateLogGroupName(batch.logGroupName, "awslogs-group");
    validateLogStreamName(batch.logStreamName, "awslogs-stream-prefix");
    if (!(await owns(agentId, batch.taskArn))) {
      throw new EcsError(
        "AccessDeniedException",
        `Agent ${agentId} may not ship logs of task ${batch.taskArn}: it is not placed on its instance.`,
      );
    }
    const nowMs = now();
    const times = batch.events.map((e) => Number(BigInt(e.sourceTimeNs) / 1_000_000n));
    return appendLogEvents<LogBatchReply>(
      db,
      {
        group: batch.logGroupName,
        stream: batch.logStreamName,
        createGroup: batch.createGroup,
        createStream: true,
        nowMs,
      },
      (group, cursor) => {
        const decision = decideShippedLines(batch, cursor, group.retentionDays, nowMs);
        const next = decision.cursorNs ?? cursor;
        return {
          events: decision.events,
          ...(decision.cursorNs === undefined ? {} : { cursorNs: decision.cursorNs }),
          result: {
            cursorNs: next === null ? null : next.toString(),
            stored: decision.events.length,
          },
        };
      },
      times,
    );
  };
  return serveAgentRequests({
    nc,
    prefix,
    log,
    kind: "logs",
    queue: LOG_INGEST_QUEUE,
    request: LogBatch,
    handle,
    what: "log batch",
  });
};
