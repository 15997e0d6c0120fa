import { z } from "zod";
import {
  decodeFilterToken,
  encodeFilterToken,
  filterGroupEvents,
  findLogGroup,
  LOG_LIMITS,
  logGroupNotFound,
  logsInvalidParameter,
  parseFilterPattern,
} from "../../../../shared/logs/index.js";
import { defineAction } from "../../protocol/action.js";
import { groupOf, millis, pageLimit } from "../logsInput.js";

const FilterLogEventsInput = z.object({
  logGroupName: z.string().optional(),
  logGroupIdentifier: z.string().optional(),
  logStreamNames: z.array(z.string()).min(1).max(100).optional(),
  logStreamNamePrefix: z.string().optional(),
  startTime: millis.optional(),
  endTime: millis.optional(),
  filterPattern: z.string().max(1024).optional(),
  nextToken: z.string().optional(),
  limit: pageLimit(LOG_LIMITS.eventsPerPage).optional(),
  /** Deprecated by CloudWatch Logs: results are always interleaved. */
  interleaved: z.boolean().optional(),
  unmask: z.boolean().optional(),
});

/**
 * CloudWatch Logs FilterLogEvents: the group's events in [startTime, endTime)
 * matching the term pattern, across its streams (or the named ones, or those
 * with a prefix), in time order; `nextToken` while more may follow.
 * `aws logs tail --follow` polls this with `startTime` and dedupes by `eventId`.
 */
export const filterLogEvents = defineAction({
  name: "FilterLogEvents",
  input: FilterLogEventsInput,
  async handle(input, ctx) {
    const group = groupOf(input);
    if (input.logStreamNames !== undefined && input.logStreamNamePrefix !== undefined) {
      throw logsInvalidParameter(
        "logStreamNames and logStreamNamePrefix are mutually exclusive parameters.",
      );
    }
    const filter = parseFilterPattern(input.filterPattern);
    if (!(await findLogGroup(ctx.db, group))) throw logGroupNotFound();
    const limit = input.limit ?? LOG_LIMITS.eventsPerPage;
    const after = input.nextToken === undefined ? undefined : decodeFilterToken(input.nextToken);
    const rows = await filterGroupEvents(ctx.db, {
      group,
      ...(input.logStreamNames === undefined ? {} : { streamNames: input.logStreamNames }),
      ...(input.logStreamNamePrefix === undefined
        ? {}
        : { streamPrefix: input.logStreamNamePrefix }),
      ...(input.startTime === undefined ? {} : { startTime: input.startTime }),
      ...(input.endTime === undefined ? {} : { endTime: input.endTime }),
      ...(after === undefined ? {} : { after }),
      filter,
      limit: limit + 1,
    });
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return {
      events: page.map((e) => ({
        logStreamName: e.streamName,
        timestamp: e.timestamp,
        message: e.message,
        ingestionTime: e.ingestionTime,
        eventId: String(e.seq),
      })),
      searchedLogStreams: [],
      ...(rows.length > limit && last
        ? { nextToken: encodeFilterToken({ time: last.timestamp, seq: last.seq }) }
        : {}),
    };
  },
});
