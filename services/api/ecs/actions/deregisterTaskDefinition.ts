import { DeregisterTaskDefinition } from "../../../../shared/commands/scheduler/index.js";
import { EcsError } from "../../../../shared/domain/errors.js";
import { defineAction } from "../../protocol/action.js";
import { findTaskDefinition } from "../read/taskDefinitionQueries.js";

export const deregisterTaskDefinition = defineAction({
  name: "DeregisterTaskDefinition",
  input: DeregisterTaskDefinition.payload,
  async handle(input, ctx) {
    const { family, revision } = await ctx.commands.send(
      DeregisterTaskDefinition,
      input,
      ctx.metadata,
    );
    const row = await findTaskDefinition(ctx.db, { family, revision });
    if (!row)
      throw new EcsError("ClientException", "The specified task definition does not exist.");
    return { taskDefinition: row.definition };
  },
});
