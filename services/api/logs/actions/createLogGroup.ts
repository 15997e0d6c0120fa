import { z } from "zod";
import { createLogGroup as insertLogGroup } from "../../../../shared/logs/index.js";
import { defineAction } from "../../protocol/action.js";
import { groupOf } from "../logsInput.js";

const CreateLogGroupInput = z.object({
  logGroupName: z.string(),
  kmsKeyId: z.string().optional(),
  tags: z.record(z.string(), z.string()).optional(),
  logGroupClass: z.string().optional(),
});

/** CloudWatch Logs CreateLogGroup (ResourceAlreadyExistsException when it exists). */
export const createLogGroup = defineAction({
  name: "CreateLogGroup",
  input: CreateLogGroupInput,
  async handle(input, ctx) {
    await insertLogGroup(ctx.db, groupOf(input), Date.now());
    return {};
  },
});
