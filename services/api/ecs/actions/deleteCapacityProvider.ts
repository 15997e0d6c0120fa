import { DeleteCapacityProvider } from "../../../../shared/commands/scheduler/index.js";
import { EcsError } from "../../../../shared/domain/errors.js";
import { defineAction } from "../../protocol/action.js";
import {
  describeCapacityProviders,
  findCapacityProviders,
} from "../read/capacityProviderQueries.js";

/** The reply shows the provider INACTIVE with updateStatus DELETE_COMPLETE: Flotilla deletes at once. */
export const deleteCapacityProvider = defineAction({
  name: "DeleteCapacityProvider",
  input: DeleteCapacityProvider.payload,
  async handle(input, ctx) {
    const { name } = await ctx.commands.send(DeleteCapacityProvider, input, ctx.metadata);
    const found = (await findCapacityProviders(ctx.db, ctx.arn, [name])).get(name);
    if (!found) {
      throw new EcsError(
        "ServerException",
        "The capacity provider was deleted but cannot be read.",
      );
    }
    const [capacityProvider] = await describeCapacityProviders(ctx.db, [found], false);
    return { capacityProvider };
  },
});
