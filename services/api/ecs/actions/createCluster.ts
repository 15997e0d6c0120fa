import { CreateCluster } from "../../../../shared/commands/scheduler/index.js";
import { EcsError } from "../../../../shared/domain/errors.js";
import { defineAction } from "../../protocol/action.js";
import { describeCluster, findClusters } from "../read/clusterQueries.js";

export const createCluster = defineAction({
  name: "CreateCluster",
  input: CreateCluster.payload,
  async handle(input, ctx) {
    const { clusterName } = await ctx.commands.send(CreateCluster, input, ctx.metadata);
    const [row] = await findClusters(ctx.db, [clusterName]);
    if (!row) throw new EcsError("ServerException", "The cluster was created but cannot be read.");
    return { cluster: await describeCluster(ctx.db, row, ["SETTINGS", "TAGS", "CONFIGURATIONS"]) };
  },
});
