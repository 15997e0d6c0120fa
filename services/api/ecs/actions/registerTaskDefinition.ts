import { RegisterTaskDefinition } from "../../../../shared/commands/scheduler/index.js";
import { EcsError } from "../../../../shared/domain/errors.js";
import { parseRegisterTaskDefinitionInput } from "../../../../shared/domain/taskDefinition/index.js";
import { defineAction } from "../../protocol/action.js";
import { tagsOf } from "../read/tagQueries.js";
import { findTaskDefinition } from "../read/taskDefinitionQueries.js";

export const registerTaskDefinition = defineAction({
  name: "RegisterTaskDefinition",
  input: RegisterTaskDefinition.payload,
  parse: parseRegisterTaskDefinitionInput,
  async handle(input, ctx) {
    const { family, revision, taskDefinitionArn } = await ctx.commands.send(
      RegisterTaskDefinition,
      input,
      ctx.metadata,
    );
    const row = await findTaskDefinition(ctx.db, { family, revision });
    if (!row) {
      throw new EcsError(
        "ServerException",
        "The task definition was registered but cannot be read.",
      );
    }
    return { taskDefinition: row.definition, tags: await tagsOf(ctx.db, taskDefinitionArn) };
  },
});
