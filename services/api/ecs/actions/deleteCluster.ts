import { DeleteCluster } from "../../../../shared/commands/scheduler/index.js";
import { clusterNotFound } from "../../../../shared/domain/errors.js";
import { defineAction } from "../../protocol/action.js";
import { describeCluster, findClusters } from "../read/clusterQueries.js";

export const deleteCluster = defineAction({
  name: "DeleteCluster",
  input: DeleteCluster.payload,
  async handle(input, ctx) {
    const { clusterName } = await ctx.commands.send(DeleteCluster, input, ctx.metadata);
    const [row] = await findClusters(ctx.db, [clusterName]);
    if (!row) throw clusterNotFound();
    return { cluster: await describeCluster(ctx.db, row, ["SETTINGS", "CONFIGURATIONS"]) };
  },
});
