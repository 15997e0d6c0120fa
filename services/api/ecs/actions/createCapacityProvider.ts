import { CreateCapacityProvider } from "../../../../shared/commands/scheduler/index.js";
import { EcsError } from "../../../../shared/domain/errors.js";
import { defineAction } from "../../protocol/action.js";
import {
  describeCapacityProviders,
  findCapacityProviders,
} from "../read/capacityProviderQueries.js";

export const createCapacityProvider = defineAction({
  name: "CreateCapacityProvider",
  input: CreateCapacityProvider.payload,
  async handle(input, ctx) {
    const { name } = await ctx.commands.send(CreateCapacityProvider, input, ctx.metadata);
    const found = (await findCapacityProviders(ctx.db, ctx.arn, [name])).get(name);
    if (!found) {
      throw new EcsError(
        "ServerException",
        "The capacity provider was created but cannot be read.",
      );
    }
    const [capacityProvider] = await describeCapacityProviders(ctx.db, [found], true);
    return { capacityProvider };
  },
});
