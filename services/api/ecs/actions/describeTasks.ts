import { z } from "zod";
import { EcsError } from "../../../../shared/domain/errors.js";
import { defineAction } from "../../protocol/action.js";
import { TASK_INCLUDE, describeTasks as describe, findTasks } from "../read/taskQueries.js";
import { arnInCluster, clusterOf, failureArn, requireActiveCluster } from "../refs.js";

const MAX_TASKS = 100;

/** Tasks by ARN or id, in the order asked; those not in the cluster are failures MISSING. */
export const describeTasks = defineAction({
  name: "DescribeTasks",
  input: z.object({
    cluster: z.string().optional(),
    tasks: z.array(z.string()),
    include: z.array(z.enum(TASK_INCLUDE)).optional(),
  }),
  async handle(input, ctx) {
    if (input.tasks.length === 0 || input.tasks.length > MAX_TASKS) {
      throw new EcsError("InvalidParameterException", `tasks: give 1 to ${MAX_TASKS} tasks.`);
    }
    const clusterName = clusterOf(input.cluster);
    await requireActiveCluster(ctx.db, clusterName);
    const refs = input.tasks.map((ref) => ({
      ref,
      arn: arnInCluster(ctx.arn, ref, "task", clusterName),
    }));
    const arns = [...new Set(refs.flatMap((r) => (r.arn === undefined ? [] : [r.arn])))];
    const found = new Map(
      (await findTasks(ctx.db, arns))
        .filter((row) => row.cluster_name === clusterName)
        .map((row) => [row.task_arn, row]),
    );
    const seen = new Set<string>();
    const rows = [];
    const failures = [];
    for (const { ref, arn } of refs) {
      const row = arn === undefined ? undefined : found.get(arn);
      if (!row) {
        failures.push({ arn: failureArn(ctx.arn, ref, "task", clusterName), reason: "MISSING" });
      } else if (!seen.has(row.task_arn)) {
        seen.add(row.task_arn);
        rows.push(row);
      }
    }
    const tasks = await describe(ctx.db, ctx.arn, rows, {
      tags: input.include?.includes("TAGS") ?? false,
    });
    return { tasks, failures };
  },
});
