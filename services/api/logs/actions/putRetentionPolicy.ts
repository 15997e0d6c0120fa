import { z } from "zod";
import {
  putRetentionPolicy as setRetention,
  validateRetentionDays,
} from "../../../../shared/logs/index.js";
import { defineAction } from "../../protocol/action.js";
import { groupOf } from "../logsInput.js";

/** CloudWatch Logs PutRetentionPolicy: the api's retention loop deletes what it expires. */
export const putRetentionPolicy = defineAction({
  name: "PutRetentionPolicy",
  input: z.object({ logGroupName: z.string(), retentionInDays: z.number().int() }),
  async handle(input, ctx) {
    await setRetention(ctx.db, groupOf(input), validateRetentionDays(input.retentionInDays));
    return {};
  },
});
