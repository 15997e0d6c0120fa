import { z } from "zod";
import { EcsError } from "../../../../shared/domain/errors.js";
import { parseTaskDefinitionRef } from "../../../../shared/domain/taskDefinitionRef.js";
import { defineAction } from "../../protocol/action.js";
import { tagsOf } from "../read/tagQueries.js";
import { findTaskDefinition } from "../read/taskDefinitionQueries.js";

export const describeTaskDefinition = defineAction({
  name: "DescribeTaskDefinition",
  input: z.object({
    taskDefinition: z.string(),
    include: z.array(z.enum(["TAGS"])).optional(),
  }),
  async handle(input, ctx) {
    const row = await findTaskDefinition(ctx.db, parseTaskDefinitionRef(input.taskDefinition));
    if (!row) throw new EcsError("ClientException", "Unable to describe task definition.");
    return {
      taskDefinition: row.definition,
      ...(input.include?.includes("TAGS")
        ? { tags: await tagsOf(ctx.db, row.task_definition_arn) }
        : {}),
    };
  },
});
