import { z } from "zod";
import { parseArn } from "../../../../shared/domain/arn.js";
import { defineAction } from "../../protocol/action.js";
import { DEFAULT_PAGE_SIZE, PagingInput, decodeToken, encodeToken } from "../pagination.js";
import { clusterOf, requireActiveCluster, rowsInActiveCluster, targetOf } from "../refs.js";

/** A service name, or the name in a service ARN (`service/<cluster>/<name>`). */
const serviceNameFrom = (ref: string): string => {
  const arn = ref.startsWith("arn:") ? parseArn(ref) : undefined;
  return arn?.resourceType === "service"
    ? arn.resourceId.slice(arn.resourceId.lastIndexOf("/") + 1)
    : ref;
};

/**
 * Task ARNs in ARN order, by desiredStatus (RUNNING unless asked; PENDING, as
 * in ECS, matches nothing: no task is ever desired PENDING). `serviceName`
 * matches tasks of group `service:<name>`; `launchType` the launch type each
 * task reports (EC2, or FARGATE on a managed pool). `daemonName` is accepted
 * and matches nothing.
 */
export const listTasks = defineAction({
  name: "ListTasks",
  input: z.object({
    cluster: z.string().optional(),
    containerInstance: z.string().optional(),
    family: z.string().optional(),
    startedBy: z.string().optional(),
    serviceName: z.string().optional(),
    daemonName: z.string().optional(),
    desiredStatus: z.enum(["RUNNING", "PENDING", "STOPPED"]).optional(),
    launchType: z.enum(["EC2", "FARGATE", "EXTERNAL", "MANAGED_INSTANCES"]).optional(),
    ...PagingInput,
  }),
  async handle(input, ctx) {
    const limit = input.maxResults ?? DEFAULT_PAGE_SIZE;
    const after = decodeToken(input.nextToken, ["string"]);
    const clusterName = clusterOf(input.cluster);
    const instanceArn =
      input.containerInstance === undefined
        ? undefined
        : targetOf(
            ctx.arn,
            input.containerInstance,
            "container-instance",
            clusterName,
            "containerInstance",
          ).arn;
    if (input.daemonName !== undefined) {
      await requireActiveCluster(ctx.db, clusterName);
      return { taskArns: [] };
    }

    let q = ctx.db
      .selectFrom("tasks")
      .select("task_arn")
      .where("cluster_name", "=", clusterName)
      .where("desired_status", "=", input.desiredStatus ?? "RUNNING")
      .orderBy("task_arn")
      .limit(limit + 1);
    if (instanceArn !== undefined) q = q.where("container_instance_arn", "=", instanceArn);
    if (input.family !== undefined) q = q.where("family", "=", input.family);
    if (input.startedBy !== undefined) q = q.where("started_by", "=", input.startedBy);
    if (input.serviceName !== undefined) {
      q = q.where("task_group", "=", `service:${serviceNameFrom(input.serviceName)}`);
    }
    if (input.launchType !== undefined) q = q.where("launch_type", "=", input.launchType);
    if (after) q = q.where("task_arn", ">", String(after[0]));
    const rows = await rowsInActiveCluster(ctx.db, clusterName, q);
    const page = rows.slice(0, limit).map((r) => r.task_arn);
    return {
      taskArns: page,
      ...(rows.length > limit ? { nextToken: encodeToken([page.at(-1)!]) } : {}),
    };
  },
});
