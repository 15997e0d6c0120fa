import { z } from "zod";
import { createLogStream as insertLogStream } from "../../../../shared/logs/index.js";
import { defineAction } from "../../protocol/action.js";
import { groupOf, streamOf } from "../logsInput.js";

/** CloudWatch Logs CreateLogStream. */
export const createLogStream = defineAction({
  name: "CreateLogStream",
  input: z.object({ logGroupName: z.string(), logStreamName: z.string() }),
  async handle(input, ctx) {
    await insertLogStream(ctx.db, groupOf(input), streamOf(input.logStreamName), Date.now());
    return {};
  },
});
