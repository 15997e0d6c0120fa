import { z } from "zod";
import {
  describeLogGroups as findLogGroups,
  LOG_LIMITS,
  logGroupArn,
  logsInvalidParameter,
} from "../../../../shared/logs/index.js";
import { defineAction } from "../../protocol/action.js";
import { decodeNameToken, encodeNameToken, pageLimit } from "../logsInput.js";

const DescribeLogGroupsInput = z.object({
  logGroupNamePrefix: z.string().optional(),
  logGroupNamePattern: z.string().optional(),
  nextToken: z.string().optional(),
  limit: pageLimit(LOG_LIMITS.describePageSize).optional(),
  accountIdentifiers: z.array(z.string()).optional(),
  includeLinkedAccounts: z.boolean().optional(),
  logGroupClass: z.string().optional(),
  logGroupIdentifiers: z.array(z.string()).optional(),
});

/** CloudWatch Logs DescribeLogGroups: by name, 50 per page. */
export const describeLogGroups = defineAction({
  name: "DescribeLogGroups",
  input: DescribeLogGroupsInput,
  async handle(input, ctx) {
    if (input.logGroupNamePrefix !== undefined && input.logGroupNamePattern !== undefined) {
      throw logsInvalidParameter(
        "LogGroup name prefix and LogGroup name pattern are mutually exclusive parameters.",
      );
    }
    const limit = input.limit ?? LOG_LIMITS.describePageSize;
    const after =
      input.nextToken === undefined ? undefined : String(decodeNameToken(input.nextToken)[0]);
    const rows = await findLogGroups(ctx.db, {
      ...(input.logGroupNamePrefix === undefined ? {} : { namePrefix: input.logGroupNamePrefix }),
      ...(input.logGroupNamePattern === undefined
        ? {}
        : { nameContains: input.logGroupNamePattern }),
      ...(after === undefined ? {} : { after }),
      limit: limit + 1,
    });
    const page = rows.slice(0, limit);
    return {
      logGroups: page.map((g) => {
        const arn = logGroupArn(ctx.arn.region, ctx.arn.accountId, g.name);
        return {
          logGroupName: g.name,
          creationTime: g.creationTime,
          ...(g.retentionDays === null ? {} : { retentionInDays: g.retentionDays }),
          metricFilterCount: 0,
          arn: `${arn}:*`,
          logGroupArn: arn,
          storedBytes: g.storedBytes,
          logGroupClass: "STANDARD",
        };
      }),
      ...(rows.length > limit ? { nextToken: encodeNameToken([page[page.length - 1]!.name]) } : {}),
    };
  },
});
