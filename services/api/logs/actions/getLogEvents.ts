import { z } from "zod";
import {
  decodePositionToken,
  encodePositionToken,
  findLogGroup,
  findLogStream,
  LOG_LIMITS,
  logGroupNotFound,
  logStreamNotFound,
  readStreamEvents,
  type EventPosition,
} from "../../../../shared/logs/index.js";
import { defineAction } from "../../protocol/action.js";
import { groupOf, millis, pageLimit, streamOf } from "../logsInput.js";

const GetLogEventsInput = z.object({
  logGroupName: z.string().optional(),
  logGroupIdentifier: z.string().optional(),
  logStreamName: z.string(),
  startTime: millis.optional(),
  endTime: millis.optional(),
  nextToken: z.string().optional(),
  limit: pageLimit(LOG_LIMITS.eventsPerPage).optional(),
  startFromHead: z.boolean().optional(),
  unmask: z.boolean().optional(),
});

const BEFORE_ALL: EventPosition = { time: 0, seq: 0 };

/**
 * CloudWatch Logs GetLogEvents: one stream's events in [startTime, endTime),
 * oldest first in each page. Without a token: the newest page, or the oldest
 * with startFromHead. `nextForwardToken` continues after the page,
 * `nextBackwardToken` before it; at either end the token given comes back
 * unchanged, which is where the SDK's paginator stops.
 */
export const getLogEvents = defineAction({
  name: "GetLogEvents",
  input: GetLogEventsInput,
  async handle(input, ctx) {
    const group = groupOf(input);
    const stream = await findLogStream(ctx.db, group, streamOf(input.logStreamName));
    if (!stream) {
      throw (await findLogGroup(ctx.db, group)) ? logStreamNotFound() : logGroupNotFound();
    }
    const limit = input.limit ?? LOG_LIMITS.eventsPerPage;
    const token = input.nextToken === undefined ? undefined : decodePositionToken(input.nextToken);
    const direction =
      token?.direction === "b" || (!token && !input.startFromHead) ? "backward" : "forward";
    const events = await readStreamEvents(ctx.db, {
      streamId: stream.streamId,
      ...(input.startTime === undefined ? {} : { startTime: input.startTime }),
      ...(input.endTime === undefined ? {} : { endTime: input.endTime }),
      direction,
      ...(token ? { from: token.position } : {}),
      limit,
    });
    const first = events[0];
    const last = events[events.length - 1];
    const here = token?.position ?? BEFORE_ALL;
    return {
      events: events.map((e) => ({
        timestamp: e.timestamp,
        message: e.message,
        ingestionTime: e.ingestionTime,
      })),
      nextForwardToken:
        last !== undefined
          ? encodePositionToken("f", { time: last.timestamp, seq: last.seq })
          : token?.direction === "f"
            ? input.nextToken
            : encodePositionToken("f", here),
      nextBackwardToken:
        first !== undefined
          ? encodePositionToken("b", { time: first.timestamp, seq: first.seq })
          : token?.direction === "b"
            ? input.nextToken
            : encodePositionToken("b", here),
    };
  },
});
