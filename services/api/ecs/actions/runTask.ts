import { RunTask } from "../../../../shared/commands/scheduler/index.js";
import { defineAction } from "../../protocol/action.js";
import { IgnoredRunTaskOptions } from "../launchOptions.js";
import { describeTasks, tasksInOrder } from "../read/taskQueries.js";

/**
 * `count` tasks on instances the scheduler's placement engine chooses (by
 * `placementConstraints` and `placementStrategy`): the cluster's own (EC2),
 * a managed pool's (`launchType: FARGATE`), or split over capacity providers
 * (`capacityProviderStrategy`, else the cluster's default strategy); what it
 * cannot place are failures. With a `clientToken`, a repeat of the request answers the first
 * call's tasks (described as they are now) and failures.
 */
export const runTask = defineAction({
  name: "RunTask",
  input: RunTask.payload.extend(IgnoredRunTaskOptions),
  async handle(input, ctx) {
    const reply = await ctx.commands.send(
      RunTask,
      {
        ...(input.cluster === undefined ? {} : { cluster: input.cluster }),
        taskDefinition: input.taskDefinition,
        ...(input.count === undefined ? {} : { count: input.count }),
        ...(input.startedBy === undefined ? {} : { startedBy: input.startedBy }),
        ...(input.group === undefined ? {} : { group: input.group }),
        ...(input.overrides === undefined ? {} : { overrides: input.overrides }),
        ...(input.tags === undefined ? {} : { tags: input.tags }),
        ...(input.placementConstraints === undefined
          ? {}
          : { placementConstraints: input.placementConstraints }),
        ...(input.placementStrategy === undefined
          ? {}
          : { placementStrategy: input.placementStrategy }),
        ...(input.launchType === undefined ? {} : { launchType: input.launchType }),
        ...(input.capacityProviderStrategy === undefined
          ? {}
          : { capacityProviderStrategy: input.capacityProviderStrategy }),
        ...(input.clientToken === undefined ? {} : { clientToken: input.clientToken }),
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
