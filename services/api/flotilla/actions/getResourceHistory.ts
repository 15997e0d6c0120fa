import { z } from "zod";
import {
  decodeCursor,
  encodeCursor,
  filterDigest,
  queryHistory,
  resourceSelector,
  scalableTargetStreams,
  streamResourceArn,
  type HistoryFilter,
} from "../../../../shared/audit/index.js";
import { EcsError } from "../../../../shared/domain/errors.js";
import { upcastEvent } from "../../../../shared/events/index.js";
import { timestamp } from "../../cloudwatch/input.js";
import { epochSeconds } from "../../ecs/read/time.js";
import { defineAction } from "../../protocol/action.js";

const position = z.number().int().nonnegative();

export const GetResourceHistoryInput = z.object({
  resourceArn: z.string().min(1).optional(),
  actor: z.string().min(1).optional(),
  eventTypes: z.array(z.string().min(1)).min(1).max(100).optional(),
  startTime: timestamp.optional(),
  endTime: timestamp.optional(),
  startPosition: position.optional(),
  endPosition: position.optional(),
  scanBy: z.enum(["TimestampDescending", "TimestampAscending"]).default("TimestampDescending"),
  maxResults: z.number().int().min(1).max(1000).default(100),
  nextToken: z.string().min(1).optional(),
});
export type GetResourceHistoryInput = z.infer<typeof GetResourceHistoryInput>;

/**
 * `FlotillaV1.GetResourceHistory` (docs/extensions.md, docs/audit.md): the
 * events of the log about one resource and/or by one actor, of some types,
 * in a time or position range, newest (default) or oldest first, paged.
 * The pages of one query read one snapshot of the log: no gaps, no repeats.
 */
export const getResourceHistory = defineAction({
  name: "GetResourceHistory",
  input: GetResourceHistoryInput,
  async handle(input, ctx) {
    let streamIds: readonly string[] | undefined;
    let revision: number | undefined;
    if (input.resourceArn !== undefined) {
      const selector = resourceSelector(input.resourceArn);
      if (!selector) {
        throw new EcsError(
          "InvalidParameterException",
          `resourceArn: ${input.resourceArn} is not the ARN of a cluster, service, task, task definition, container instance, scalable target or alarm (nor a scalable target's service/<cluster>/<service>).`,
        );
      }
      if (selector.kind === "streams") {
        streamIds = selector.streamIds;
        revision = selector.revision;
      } else {
        streamIds = await scalableTargetStreams(ctx.db, selector.arn);
      }
    }
    if (input.startTime && input.endTime && input.startTime >= input.endTime) {
      throw new EcsError("InvalidParameterException", "endTime: must be later than startTime.");
    }
    const filter: HistoryFilter = {
      streamIds,
      revision,
      actor: input.actor,
      eventTypes: input.eventTypes,
      startTime: input.startTime,
      endTime: input.endTime,
      startPosition: input.startPosition,
      endPosition: input.endPosition,
      scanBy: input.scanBy,
    };
    const digest = filterDigest(filter);
    const cursor = input.nextToken === undefined ? undefined : decodeCursor(input.nextToken);
    if (input.nextToken !== undefined && cursor?.filterDigest !== digest) {
      throw new EcsError(
        "InvalidParameterException",
        "nextToken: not a token this query returned (give the same filters as the first call).",
      );
    }
    const page = await queryHistory(ctx.db, filter, {
      snapshot: cursor?.snapshot,
      after: cursor?.after,
      limit: input.maxResults,
    });
    const last = page.events.at(-1);
    return {
      events: page.events.map((recorded) => {
        const e = upcastEvent(recorded);
        const resourceArn = streamResourceArn(ctx.arn, e.streamId, e.data);
        return {
          position: e.position,
          eventId: e.eventId,
          streamId: e.streamId,
          streamVersion: e.streamVersion,
          eventType: e.type,
          schemaVersion: e.schemaVersion,
          recordedSchemaVersion: recorded.schemaVersion,
          recordedAt: epochSeconds(e.recordedAt),
          ...(resourceArn === undefined ? {} : { resourceArn }),
          metadata: {
            actor: e.metadata.actor,
            correlationId: e.metadata.correlationId,
            ...(e.metadata.causationId ? { causationId: e.metadata.causationId } : {}),
            ...(e.metadata.commandId ? { commandId: e.metadata.commandId } : {}),
            ...(e.metadata.requestId ? { requestId: e.metadata.requestId } : {}),
            ...(e.metadata.actorTaskArn ? { actorTaskArn: e.metadata.actorTaskArn } : {}),
          },
          data: e.data,
        };
      }),
      ...(page.more && last
        ? {
            nextToken: encodeCursor({
              snapshot: page.snapshot,
              after: last.position,
              filterDigest: digest,
            }),
          }
        : {}),
    };
  },
});
