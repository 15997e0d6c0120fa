import { StartTask } from "../../../../shared/commands/scheduler/index.js";
import { defineAction } from "../../protocol/action.js";
import { IgnoredLaunchOptions } from "../launchOptions.js";
import { describeTasks, tasksInOrder } from "../read/taskQueries.js";

/** One task on each named container instance (ARN or id); those that cannot take it are failures. */
export const startTask = defineAction({
  name: "StartTask",
  input: StartTask.payload.extend(IgnoredLaunchOptions),
  async handle(input, ctx) {
    const reply = await ctx.commands.send(
      StartTask,
      {
        ...(input.cluster === undefined ? {} : { cluster: input.cluster }),
        taskDefinition: input.taskDefinition,
        containerInstances: input.containerInstances,
        ...(input.startedBy === undefined ? {} : { startedBy: input.startedBy }),
        ...(input.group === undefined ? {} : { group: input.group }),
        ...(input.overrides === undefined ? {} : { overrides: input.overrides }),
        ...(input.tags === undefined ? {} : { tags: input.tags }),
      },
      ctx.metadata,
    );
    const rows = await tasksInOrder(ctx.db, reply.taskArns);
    return {
      tasks: await describeTasks(ctx.db, ctx.arn, rows, { tags: true }),
      failures: reply.failures,
    };
  },
});
