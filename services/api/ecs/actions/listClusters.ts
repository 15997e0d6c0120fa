import { z } from "zod";
import { poolClusterName } from "../../../../shared/domain/capacityProviders/managedPools.js";
import { defineAction } from "../../protocol/action.js";
import { DEFAULT_PAGE_SIZE, PagingInput, decodeToken, encodeToken } from "../pagination.js";

/** `flotilla.pool.` (no LIKE wildcard in it: a dot is literal). */
const POOL_CLUSTER_PREFIX = poolClusterName("FARGATE").slice(0, -"FARGATE".length);

export const listClusters = defineAction({
  name: "ListClusters",
  input: z.object({ ...PagingInput }),
  async handle(input, ctx) {
    const limit = input.maxResults ?? DEFAULT_PAGE_SIZE;
    const after = decodeToken(input.nextToken, ["string"]);
    let query = ctx.db
      .selectFrom("clusters")
      .select("cluster_arn")
      .where("status", "=", "ACTIVE")
      // The managed pools' reserved clusters (flotilla.pool.*) are never listed.
      .where("cluster_name", "not like", `${POOL_CLUSTER_PREFIX}%`)
      .orderBy("cluster_arn")
      .limit(limit + 1);
    if (after) query = query.where("cluster_arn", ">", String(after[0]));
    const rows = await query.execute();
    const page = rows.slice(0, limit).map((r) => r.cluster_arn);
    return {
      clusterArns: page,
      ...(rows.length > limit ? { nextToken: encodeToken([page.at(-1)!]) } : {}),
    };
  },
});
