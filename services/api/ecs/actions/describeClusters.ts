import { z } from "zod";
import { clusterArn, clusterNameFrom } from "../../../../shared/domain/arn.js";
import { EcsError } from "../../../../shared/domain/errors.js";
import { isPoolCluster } from "../../../../shared/domain/capacityProviders/managedPools.js";
import { defineAction } from "../../protocol/action.js";
import { CLUSTER_INCLUDE, describeCluster, findClusters } from "../read/clusterQueries.js";

const MAX_CLUSTERS = 100;

export const describeClusters = defineAction({
  name: "DescribeClusters",
  input: z.object({
    clusters: z.array(z.string()).optional(),
    include: z.array(z.enum(CLUSTER_INCLUDE)).optional(),
  }),
  async handle(input, ctx) {
    const requested = input.clusters ?? ["default"];
    if (requested.length > MAX_CLUSTERS) {
      throw new EcsError(
        "InvalidParameterException",
        `clusters: at most ${MAX_CLUSTERS} clusters can be described at once.`,
      );
    }
    const names = requested.map(clusterNameFrom);
    const rows = new Map((await findClusters(ctx.db, names)).map((r) => [r.cluster_name, r]));
    const clusters = [];
    const failures = [];
    for (const name of names) {
      // A managed pool's reserved cluster is hidden: MISSING, as a cluster that does not exist.
      const row = isPoolCluster(name) ? undefined : rows.get(name);
      if (row) clusters.push(await describeCluster(ctx.db, row, input.include ?? []));
      else failures.push({ arn: clusterArn(ctx.arn, name), reason: "MISSING" });
    }
    return { clusters, failures };
  },
});
