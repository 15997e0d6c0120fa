import { UpdateCapacityProvider } from "../../../../shared/commands/scheduler/index.js";
import { EcsError } from "../../../../shared/domain/errors.js";
import { defineAction } from "../../protocol/action.js";
import {
  describeCapacityProviders,
  findCapacityProviders,
} from "../read/capacityProviderQueries.js";

export const updateCapacityProvider = defineAction({
  name: "UpdateCapacityProvider",
  input: UpdateCapacityProvider.payload,
  async handle(input, ctx) {
    const { name } = await ctx.commands.send(UpdateCapacityProvider, input, ctx.metadata);
    const found = (await findCapacityProviders(ctx.db, ctx.arn, [name])).get(name);
    if (!found) {
      throw new EcsError(
        "ServerException",
        "The capacity provider was updated but cannot be read.",
      );
    }
    const [capacityProvider] = await describeCapacityProviders(ctx.db, [found], false);
    return { capacityProvider };
  },
});
