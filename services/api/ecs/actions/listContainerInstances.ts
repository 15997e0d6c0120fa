import { z } from "zod";
import { defineAction } from "../../protocol/action.js";
import {
  type ClusterQuery,
  type QuerySource,
  matchesClusterQuery,
  mentionsTaskGroup,
  parseClusterQuery,
} from "../../../../shared/domain/clusterQuery/index.js";
import { DEFAULT_PAGE_SIZE, PagingInput, decodeToken, encodeToken } from "../pagination.js";
import { instanceQueryTargets } from "../read/instanceQueryTargets.js";
import { clusterOf, requireActiveCluster } from "../refs.js";

const FILTER: QuerySource = { field: "filter", noun: "filter" };

/** Rows read per round while a filter skips some: pages stay short, scans stay bounded. */
const SCAN_BATCH = 500;

/**
 * Instance ARNs in ARN order. With no `status`, every instance but INACTIVE
 * ones (as in ECS); `filter` is a cluster query (shared/domain/clusterQuery),
 * evaluated here over each instance's row (and its tasks' groups when the
 * query tests `task:group`).
 */
export const listContainerInstances = defineAction({
  name: "ListContainerInstances",
  input: z.object({
    cluster: z.string().optional(),
    filter: z.string().max(1024).optional(),
    status: z
      .enum(["ACTIVE", "DRAINING", "REGISTERING", "DEREGISTERING", "REGISTRATION_FAILED"])
      .optional(),
    ...PagingInput,
  }),
  async handle(input, ctx) {
    const limit = input.maxResults ?? DEFAULT_PAGE_SIZE;
    const query: ClusterQuery | undefined =
      input.filter === undefined || input.filter.trim() === ""
        ? undefined
        : parseClusterQuery(input.filter, FILTER);
    let after = decodeToken(input.nextToken, ["string"])?.[0] as string | undefined;
    const clusterName = clusterOf(input.cluster);
    await requireActiveCluster(ctx.db, clusterName);

    const page: string[] = [];
    let more = false;
    for (;;) {
      let q = ctx.db
        .selectFrom("container_instances")
        .select([
          "container_instance_arn",
          "ec2_instance_id",
          "attributes",
          "agent_connected",
          "version_info",
          "registered_at",
        ])
        .where("cluster_name", "=", clusterName)
        .orderBy("container_instance_arn")
        .limit(query ? SCAN_BATCH : limit + 1);
      q =
        input.status === undefined
          ? q.where("status", "!=", "INACTIVE")
          : q.where("status", "=", input.status);
      if (after !== undefined) q = q.where("container_instance_arn", ">", after);
      const rows = await q.execute();
      const targets = query
        ? await instanceQueryTargets(ctx.db, rows, { taskGroups: mentionsTaskGroup(query) })
        : undefined;
      for (const [i, row] of rows.entries()) {
        if (query && !matchesClusterQuery(query, targets![i]!)) continue;
        if (page.length === limit) {
          more = true;
          break;
        }
        page.push(row.container_instance_arn);
      }
      if (more || !query || rows.length < SCAN_BATCH) break;
      after = rows.at(-1)!.container_instance_arn;
    }
    return {
      containerInstanceArns: page,
      ...(more ? { nextToken: encodeToken([page.at(-1)!]) } : {}),
    };
  },
});
