import { z } from "zod";
import { putRetentionPolicy as setRetention } from "../../../../shared/logs/index.js";
import { defineAction } from "../../protocol/action.js";
import { groupOf } from "../logsInput.js";

/** CloudWatch Logs DeleteRetentionPolicy: the group's events never expire again. */
export const deleteRetentionPolicy = defineAction({
  name: "DeleteRetentionPolicy",
  input: z.object({ logGroupName: z.string() }),
  async handle(input, ctx) {
    await setRetention(ctx.db, groupOf(input), null);
    return {};
  },
});
