import { PutClusterCapacityProviders } from "../../../../shared/commands/scheduler/index.js";
import { clusterNotFound } from "../../../../shared/domain/errors.js";
import { defineAction } from "../../protocol/action.js";
import { describeCluster, findClusters } from "../read/clusterQueries.js";

/** PutClusterCapacityProviders: replies `{ cluster }`, as ECS. */
export const putClusterCapacityProviders = defineAction({
  name: "PutClusterCapacityProviders",
  input: PutClusterCapacityProviders.payload,
  async handle(input, ctx) {
    const { clusterName } = await ctx.commands.send(
      PutClusterCapacityProviders,
      input,
      ctx.metadata,
    );
    const [row] = await findClusters(ctx.db, [clusterName]);
    if (!row) throw clusterNotFound();
    return { cluster: await describeCluster(ctx.db, row, ["SETTINGS", "CONFIGURATIONS"]) };
  },
});
