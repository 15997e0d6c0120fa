import { z } from "zod";
import {
  describeLogStreams as findLogStreams,
  findLogGroup,
  LOG_LIMITS,
  logGroupArn,
  logGroupNotFound,
  logsInvalidParameter,
} from "../../../../shared/logs/index.js";
import { defineAction } from "../../protocol/action.js";
import { decodeNameToken, encodeNameToken, groupOf, pageLimit } from "../logsInput.js";

const DescribeLogStreamsInput = z.object({
  logGroupName: z.string().optional(),
  logGroupIdentifier: z.string().optional(),
  logStreamNamePrefix: z.string().optional(),
  orderBy: z.enum(["LogStreamName", "LastEventTime"]).optional(),
  descending: z.boolean().optional(),
  nextToken: z.string().optional(),
  limit: pageLimit(LOG_LIMITS.describePageSize).optional(),
});

/** CloudWatch Logs DescribeLogStreams: by name or last event time, 50 per page. */
export const describeLogStreams = defineAction({
  name: "DescribeLogStreams",
  input: DescribeLogStreamsInput,
  async handle(input, ctx) {
    const group = groupOf(input);
    const orderBy = input.orderBy ?? "LogStreamName";
    if (orderBy === "LastEventTime" && input.logStreamNamePrefix !== undefined) {
      throw logsInvalidParameter("Cannot order by LastEventTime with a logStreamNamePrefix.");
    }
    if (!(await findLogGroup(ctx.db, group))) throw logGroupNotFound();
    const limit = input.limit ?? LOG_LIMITS.describePageSize;
    const token = input.nextToken === undefined ? undefined : decodeNameToken(input.nextToken);
    const rows = await findLogStreams(ctx.db, {
      group,
      ...(input.logStreamNamePrefix === undefined ? {} : { namePrefix: input.logStreamNamePrefix }),
      orderBy,
      descending: input.descending ?? false,
      ...(token ? { after: { key: token[0]!, name: String(token[1]) } } : {}),
      limit: limit + 1,
    });
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    const groupArn = logGroupArn(ctx.arn.region, ctx.arn.accountId, group);
    return {
      logStreams: page.map((s) => ({
        logStreamName: s.name,
        creationTime: s.creationTime,
        ...(s.firstEventTime === null ? {} : { firstEventTimestamp: s.firstEventTime }),
        ...(s.lastEventTime === null ? {} : { lastEventTimestamp: s.lastEventTime }),
        ...(s.lastIngestionTime === null ? {} : { lastIngestionTime: s.lastIngestionTime }),
        arn: `${groupArn}:log-stream:${s.name}`,
        storedBytes: s.storedBytes,
      })),
      ...(rows.length > limit && last
        ? {
            nextToken: encodeNameToken([
              orderBy === "LastEventTime" ? (last.lastEventTime ?? 0) : last.name,
              last.name,
            ]),
          }
        : {}),
    };
  },
});
