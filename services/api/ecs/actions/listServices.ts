import { z } from "zod";
import { defineAction } from "../../protocol/action.js";
import { PagingInput, decodeToken, encodeToken } from "../pagination.js";
import { clusterOf, rowsInActiveCluster } from "../refs.js";

/** ECS answers 10 services a page unless maxResults says otherwise. */
const DEFAULT_SERVICES_PAGE = 10;

/**
 * Service ARNs of a cluster in ARN order, ACTIVE and DRAINING ones (INACTIVE
 * ones only DescribeServices shows). `launchType` matches the services created
 * with that launch type; a service with a capacity provider strategy has none
 * (as in ECS), so it matches no `launchType` filter.
 */
export const listServices = defineAction({
  name: "ListServices",
  input: z.object({
    cluster: z.string().optional(),
    launchType: z.enum(["EC2", "FARGATE", "EXTERNAL", "MANAGED_INSTANCES"]).optional(),
    schedulingStrategy: z.enum(["REPLICA", "DAEMON"]).optional(),
    ...PagingInput,
  }),
  async handle(input, ctx) {
    const limit = input.maxResults ?? DEFAULT_SERVICES_PAGE;
    const after = decodeToken(input.nextToken, ["string"]);
    const clusterName = clusterOf(input.cluster);

    let q = ctx.db
      .selectFrom("services")
      .select("service_arn")
      .where("cluster_name", "=", clusterName)
      .where("status", "in", ["ACTIVE", "DRAINING"])
      .orderBy("service_arn")
      .limit(limit + 1);
    if (input.launchType !== undefined) q = q.where("launch_type", "=", input.launchType);
    if (input.schedulingStrategy !== undefined) {
      q = q.where("scheduling_strategy", "=", input.schedulingStrategy);
    }
    if (after) q = q.where("service_arn", ">", String(after[0]));
    const rows = await rowsInActiveCluster(ctx.db, clusterName, q);
    const page = rows.slice(0, limit).map((r) => r.service_arn);
    return {
      serviceArns: page,
      ...(rows.length > limit ? { nextToken: encodeToken([page.at(-1)!]) } : {}),
    };
  },
});
