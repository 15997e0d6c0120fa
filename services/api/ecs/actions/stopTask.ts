import { z } from "zod";
import { StopTask } from "../../../../shared/commands/scheduler/index.js";
import { EcsError } from "../../../../shared/domain/errors.js";
import { defineAction } from "../../protocol/action.js";
import { describeTasks, findTasks } from "../read/taskQueries.js";
import { requireActiveCluster, targetOf } from "../refs.js";

/** desiredStatus STOPPED with the caller's reason; the task's agent then stops it. */
export const stopTask = defineAction({
  name: "StopTask",
  input: z.object({
    cluster: z.string().optional(),
    task: z.string(),
    reason: z.string().max(255).optional(),
  }),
  async handle(input, ctx) {
    const target = targetOf(ctx.arn, input.task, "task", input.cluster, "task");
    await requireActiveCluster(ctx.db, target.clusterName);
    const { taskArn } = await ctx.commands.send(
      StopTask,
      {
        cluster: target.clusterName,
        task: target.arn,
        ...(input.reason === undefined ? {} : { reason: input.reason }),
      },
      ctx.metadata,
    );
    const [task] = await describeTasks(ctx.db, ctx.arn, await findTasks(ctx.db, [taskArn]), {
      tags: true,
    });
    if (!task) throw new EcsError("ServerException", "The task was stopped but cannot be read.");
    return { task };
  },
});
