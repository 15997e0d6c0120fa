import type { ReportBatchReply, TaskStateReportMessage } from "../../../shared/agent/protocol.js";
import { clusterOfInstanceArn } from "../../../shared/domain/arn.js";
import { EcsError, isEcsError } from "../../../shared/domain/errors.js";
import { containerInstanceStream } from "../../../shared/domain/streams.js";
import {
  isConcurrencyError,
  type EventMetadata,
  type StreamAppend,
} from "../../../shared/eventstore/index.js";
import { newEvent, toDomainEvent, type DomainEvent } from "../../../shared/events/index.js";
import type { SchedulerContext } from "../context.js";
import { fold } from "../../../shared/aggregate/decider.js";
import { taskRef } from "../resolve.js";
import { decideReportTaskState } from "./reportTaskState.js";
import { taskAggregate, type TaskState } from "./taskState.js";

const MAX_ATTEMPTS = 5;

export type Refusal = ReportBatchReply["refused"][number];

/** Postgres's deadlock_detected: the transaction was rolled back, a retry may pass. */
const isDeadlock = (err: unknown): boolean => (err as { code?: string }).code === "40P01";

const refusalOf = (index: number, err: unknown): Refusal => {
  const e = isEcsError(err)
    ? err.toJSON()
    : { type: "ServerException", message: String(err), retryable: true };
  return { index, type: e.type, message: e.message, retryable: e.retryable };
};

/** What one attempt decided: the appends of the whole batch, and the reports it refused. */
interface Decided {
  readonly appends: StreamAppend[];
  readonly refused: Refusal[];
  readonly instances: Set<string>;
}

/**
 * Every report decided on its task's state as folded from its stream, in
 * batch order: a task's second report is decided on the state its first left.
 * The first STOPPED of a task also releases its reservation on its instance.
 */
const decideBatch = (
  reports: readonly TaskStateReportMessage[],
  read: ReadonlyMap<string, { version: number; state: TaskState; streamId: string }>,
  skip: ReadonlySet<number>,
): Decided => {
  const refused: Refusal[] = [];
  const states = new Map([...read].map(([arn, r]) => [arn, r.state]));
  const taskEvents = new Map<string, DomainEvent[]>();
  const released = new Map<string, { cluster: string; events: DomainEvent[] }>();
  const instances = new Set<string>();
  reports.forEach((cmd, index) => {
    if (skip.has(index)) return;
    const { taskArn, ...report } = cmd;
    const state = states.get(taskArn)!;
    let decided: DomainEvent[];
    try {
      decided = decideReportTaskState(report, state);
    } catch (err) {
      refused.push(refusalOf(index, err));
      return;
    }
    if (decided.length === 0) return;
    const stops = state.lastStatus !== "STOPPED" && report.lastStatus === "STOPPED";
    states.set(taskArn, decided.reduce(taskAggregate.evolve, state));
    taskEvents.set(taskArn, [...(taskEvents.get(taskArn) ?? []), ...decided]);
    const instanceArn = state.created!.containerInstanceArn;
    instances.add(instanceArn);
    if (!stops) return;
    const instanceId = instanceArn.slice(instanceArn.lastIndexOf("/") + 1);
    // The instance's own cluster: a FARGATE task's instance is in its managed pool's.
    const cluster = clusterOfInstanceArn(instanceArn) ?? taskRef(taskArn, undefined).clusterName;
    const streamId = containerInstanceStream(cluster, instanceId);
    const entry = released.get(streamId) ?? { cluster, events: [] };
    entry.events.push({
      type: "TaskResourcesReleased",
      data: {
        clusterName: cluster,
        containerInstanceArn: instanceArn,
        taskArn: state.created!.taskArn,
      },
    });
    released.set(streamId, entry);
  });
  const appends: StreamAppend[] = [
    ...[...taskEvents].map(([arn, events]) => ({
      streamId: read.get(arn)!.streamId,
      events: events.map((e) => newEvent(e.type, e.data)),
      expectedVersion: read.get(arn)!.version,
    })),
    ...[...released].map(([streamId, { events }]) => ({
      streamId,
      events: events.map((e) => newEvent(e.type, e.data)),
      expectedVersion: "any" as const,
    })),
  ];
  return { appends, refused, instances };
};

/**
 * A batch of state reports from one agent, recorded in one transaction: each
 * report is decided as reportTaskStateHandler.ts decides a single one
 * (idempotent, never backwards), a task's reports in batch order. A report that
 * cannot be decided (its task is unknown) is refused on its own and the rest are
 * recorded; `refuse` may refuse reports up front (an agent reporting another
 * agent's task). A concurrent writer on any of the streams makes the whole
 * batch read and decide again.
 */
export const reportTaskStates = async (
  ctx: SchedulerContext,
  reports: readonly TaskStateReportMessage[],
  metadata: EventMetadata,
  refuse: readonly Refusal[] = [],
): Promise<ReportBatchReply> => {
  const skip = new Set(refuse.map((r) => r.index));
  const arns = [...new Set(reports.filter((_, i) => !skip.has(i)).map((r) => r.taskArn))];
  for (let attempt = 1; ; attempt++) {
    const refused = [...refuse];
    const readable = new Map<string, { version: number; state: TaskState; streamId: string }>();
    const unreadable = new Map<string, unknown>();
    // Every task's stream in one statement; a report naming no task ARN is refused alone.
    const streamOf = new Map<string, string>();
    for (const arn of arns) {
      try {
        streamOf.set(arn, taskRef(arn, undefined).streamId);
      } catch (err) {
        if (!isEcsError(err)) throw err;
        unreadable.set(arn, err);
      }
    }
    const streams = await ctx.store.readStreams([...streamOf.values()]);
    for (const [arn, streamId] of streamOf) {
      const { version, events } = streams.get(streamId)!;
      readable.set(arn, {
        streamId,
        version,
        state: fold(taskAggregate, events.map(toDomainEvent)),
      });
    }
    const skipped = new Set(skip);
    reports.forEach((r, index) => {
      const err = unreadable.get(r.taskArn);
      if (err !== undefined && !skip.has(index)) {
        refused.push(refusalOf(index, err));
        skipped.add(index);
      }
    });
    const decided = decideBatch(reports, readable, skipped);
    refused.push(...decided.refused);
    refused.sort((a, b) => a.index - b.index);
    if (decided.appends.length === 0) return { refused };
    for (const instanceArn of decided.instances) ctx.sawAgent?.(instanceArn);
    try {
      await ctx.store.appendBatch(decided.appends, metadata);
      return { refused };
    } catch (err) {
      if (!isConcurrencyError(err) && !isDeadlock(err)) throw err;
      if (attempt >= MAX_ATTEMPTS) {
        throw new EcsError("ServerException", "Too many concurrent changes; retry.", {
          retryable: true,
        });
      }
    }
  }
};
