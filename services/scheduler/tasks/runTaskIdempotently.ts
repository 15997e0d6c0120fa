import { randomUUID } from "node:crypto";
import { sql } from "kysely";
import type { PayloadOf, ReplyOf } from "../../../shared/bus/index.js";
import { RunTask } from "../../../shared/commands/scheduler/index.js";
import { clusterNameFrom } from "../../../shared/domain/arn.js";
import { EcsError, isEcsError } from "../../../shared/domain/errors.js";
import { clientTokenStream } from "../../../shared/domain/streams.js";
import { isConcurrencyError, type EventMetadata } from "../../../shared/eventstore/index.js";
import { newEvent, toDomainEvent } from "../../../shared/events/index.js";
import {
  decideClientToken,
  decideCompleteClientToken,
  decideReleaseClientToken,
  requestDigest,
  type TokenRequest,
} from "../clientTokens/decideClientToken.js";
import { clientTokenAggregate } from "../clientTokens/clientTokenState.js";
import type { SchedulerContext } from "../context.js";
import { fold } from "../../../shared/aggregate/decider.js";
import { runCommand } from "../../../shared/aggregate/runCommand.js";
import { launchTasks, type LaunchResult } from "./launchTasks.js";

type RunTaskPayload = PayloadOf<typeof RunTask>;
type RunTaskReply = ReplyOf<typeof RunTask>;

const SCOPE = "RunTask";

export interface IdempotencyOptions {
  /** How long a repeat waits for the answer of the same request running elsewhere. */
  readonly waitMs?: number;
  readonly pollMs?: number;
}

/**
 * What makes two RunTask requests "the same": everything but the token, with
 * the cluster by name and the count's default filled in.
 */
export const runTaskRequestDigest = (payload: RunTaskPayload): string => {
  const { clientToken: _token, ...request } = payload;
  return requestDigest({
    ...request,
    cluster: clusterNameFrom(payload.cluster ?? "default"),
    count: payload.count ?? 1,
  });
};

/**
 * RunTask with a `clientToken`: the token's stream is claimed first (so of
 * two concurrent repeats exactly one launches), the tasks are launched, and
 * the answer is recorded on the stream; every repeat of the same request gets
 * that answer, a different request with the token a ConflictException. A
 * repeat that finds the request still running waits briefly for the answer,
 * then asks the caller to retry (a retryable ServerException).
 */
export const runTaskIdempotently = async (
  ctx: SchedulerContext,
  payload: RunTaskPayload & { clientToken: string },
  metadata: EventMetadata,
  launch: (payload: RunTaskPayload) => Promise<LaunchResult> = (p) =>
    launchTasks(ctx, p, { count: p.count ?? 1 }, metadata),
  options: IdempotencyOptions = {},
): Promise<RunTaskReply> => {
  const clusterName = clusterNameFrom(payload.cluster ?? "default");
  const streamId = clientTokenStream(SCOPE, clusterName, payload.clientToken);
  const request: TokenRequest = {
    scope: SCOPE,
    clusterName,
    clientToken: payload.clientToken,
    requestDigest: runTaskRequestDigest(payload),
    claimId: randomUUID(),
  };
  const waitUntil = Date.now() + (options.waitMs ?? 3000);
  const dc = () => ({ now: ctx.clock(), arn: ctx.arn, actor: metadata.actor });
  /** The commands of earlier claims of this token (a takeover adopts their tasks). */
  let earlierClaims: string[] | undefined;

  for (;;) {
    const { version, events } = await ctx.store.readStream(streamId);
    earlierClaims = events
      .filter((e) => e.type === "ClientTokenClaimed")
      .map((e) => e.metadata.commandId ?? e.metadata.correlationId);
    const state = fold(clientTokenAggregate, events.map(toDomainEvent));
    const decision = decideClientToken(request, state, dc());
    if (decision.kind === "replay") return RunTask.reply.parse(decision.result);
    if (decision.kind === "wait") {
      if (Date.now() >= waitUntil) {
        throw new EcsError(
          "ServerException",
          "A RunTask request with this clientToken is still in progress; retry the request.",
          { retryable: true },
        );
      }
      await new Promise((resolve) => setTimeout(resolve, options.pollMs ?? 100));
      continue;
    }
    try {
      await ctx.store.append(
        streamId,
        decision.events.map((e) => newEvent(e.type, e.data)),
        version === 0 ? "noStream" : version,
        metadata,
      );
    } catch (err) {
      if (isConcurrencyError(err)) continue; // another repeat claimed it first: look again
      throw err;
    }
    break;
  }

  // Taking over an abandoned claim: the tasks its dead request already created are part
  // of this answer, and only the rest is launched (never a task twice per token).
  const adopted = await tasksCreatedBy(ctx, earlierClaims ?? []);
  const count = payload.count ?? 1;
  let result: LaunchResult;
  try {
    result =
      adopted.length >= count
        ? { taskArns: adopted.slice(0, count), failures: [] }
        : await launch({ ...payload, count: count - adopted.length }).then((r) => ({
            taskArns: [...adopted, ...r.taskArns],
            failures: r.failures,
          }));
  } catch (err) {
    // Refused before anything was created (unknown task definition, bad override, …):
    // free the token so a corrected request can use it. Anything else keeps the claim:
    // some tasks may exist, and a repeat must not launch them again.
    if (isEcsError(err) && !err.retryable && err.type !== "ServerException") {
      const reason = `${err.type}: ${err.message}`;
      await runCommand(
        ctx.store,
        streamId,
        clientTokenAggregate,
        (state) => decideReleaseClientToken(request, reason, state, dc()),
        metadata,
        () => undefined,
      );
    }
    throw err;
  }
  const reply: RunTaskReply = { taskArns: result.taskArns, failures: result.failures };
  await runCommand(
    ctx.store,
    streamId,
    clientTokenAggregate,
    (state) => decideCompleteClientToken(request, reply, state, dc()),
    metadata,
    () => undefined,
  );
  return reply;
};

/** The tasks created by the given commands (TaskCreated carries its command's metadata). */
const tasksCreatedBy = async (
  ctx: SchedulerContext,
  commandIds: readonly string[],
): Promise<string[]> => {
  if (commandIds.length === 0) return [];
  const { rows } = await sql<{ task_arn: string }>`
    SELECT data->>'taskArn' AS task_arn FROM events
     WHERE type = 'TaskCreated'
       AND coalesce(metadata->>'commandId', metadata->>'correlationId') IN (${sql.join(commandIds)})
     ORDER BY position`.execute(ctx.db);
  return rows.map((r) => r.task_arn);
};
