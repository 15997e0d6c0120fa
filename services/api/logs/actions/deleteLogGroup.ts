import { z } from "zod";
import { deleteLogGroup as removeLogGroup } from "../../../../shared/logs/index.js";
import { defineAction } from "../../protocol/action.js";
import { groupOf } from "../logsInput.js";

/** CloudWatch Logs DeleteLogGroup: the group, its streams and every event in them. */
export const deleteLogGroup = defineAction({
  name: "DeleteLogGroup",
  input: z.object({ logGroupName: z.string() }),
  async handle(input, ctx) {
    await removeLogGroup(ctx.db, groupOf(input));
    return {};
  },
});
