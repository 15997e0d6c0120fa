import type { PayloadOf } from "../../../shared/bus/index.js";
import type { ReportTaskState } from "../../../shared/commands/scheduler/index.js";
import { clusterOfInstanceArn } from "../../../shared/domain/arn.js";
import { EcsError } from "../../../shared/domain/errors.js";
import { containerInstanceStream } from "../../../shared/domain/streams.js";
import { isConcurrencyError, type EventMetadata } from "../../../shared/eventstore/index.js";
import { newEvent, toDomainEvent } from "../../../shared/events/index.js";
import type { SchedulerContext } from "../context.js";
import { fold } from "../../../shared/aggregate/decider.js";
import { taskRef } from "../resolve.js";
import { decideReportTaskState } from "./reportTaskState.js";
import { taskAggregate } from "./taskState.js";

const MAX_ATTEMPTS = 5;

/**
 * A task state report. The first STOPPED also releases the task's resources on
 * its instance, in the same transaction.
 */
export const reportTaskState = async (
  ctx: SchedulerContext,
  cmd: PayloadOf<typeof ReportTaskState>,
  metadata: EventMetadata,
): Promise<Record<string, never>> => {
  const ref = taskRef(cmd.taskArn, undefined);
  const { taskArn: _taskArn, ...report } = cmd;
  for (let attempt = 1; ; attempt++) {
    const { version, events } = await ctx.store.readStream(ref.streamId);
    const state = fold(taskAggregate, events.map(toDomainEvent));
    const decided = decideReportTaskState(report, state);
    if (decided.length === 0) return {};
    const stops = state.lastStatus !== "STOPPED" && report.lastStatus === "STOPPED";
    const instanceArn = state.created!.containerInstanceArn;
    ctx.sawAgent?.(instanceArn);
    const instanceId = instanceArn.slice(instanceArn.lastIndexOf("/") + 1);
    // The instance's own cluster: a FARGATE task's instance is in its managed pool's.
    const instanceCluster = clusterOfInstanceArn(instanceArn) ?? ref.clusterName;
    try {
      await ctx.store.appendMany(
        [
          {
            streamId: ref.streamId,
            events: decided.map((e) => newEvent(e.type, e.data)),
            expectedVersion: version,
          },
          ...(stops
            ? [
                {
                  streamId: containerInstanceStream(instanceCluster, instanceId),
                  events: [
                    newEvent("TaskResourcesReleased", {
                      clusterName: instanceCluster,
                      containerInstanceArn: instanceArn,
                      taskArn: state.created!.taskArn,
                    }),
                  ],
                  expectedVersion: "any" as const,
                },
              ]
            : []),
        ],
        metadata,
      );
      return {};
    } catch (err) {
      if (!isConcurrencyError(err)) throw err;
      if (attempt >= MAX_ATTEMPTS) {
        throw new EcsError("ServerException", "Too many concurrent changes; retry.", {
          retryable: true,
        });
      }
    }
  }
};
