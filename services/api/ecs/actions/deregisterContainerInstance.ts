import { z } from "zod";
import { DeregisterContainerInstance } from "../../../../shared/commands/scheduler/index.js";
import { EcsError } from "../../../../shared/domain/errors.js";
import { defineAction } from "../../protocol/action.js";
import {
  describeContainerInstances,
  findContainerInstances,
} from "../read/containerInstanceQueries.js";
import { requireActiveCluster, targetOf } from "../refs.js";

/** The instance becomes INACTIVE; with `force`, the tasks still on it are asked to stop. */
export const deregisterContainerInstance = defineAction({
  name: "DeregisterContainerInstance",
  input: z.object({
    cluster: z.string().optional(),
    containerInstance: z.string(),
    force: z.boolean().optional(),
  }),
  async handle(input, ctx) {
    const target = targetOf(
      ctx.arn,
      input.containerInstance,
      "container-instance",
      input.cluster,
      "containerInstance",
    );
    await requireActiveCluster(ctx.db, target.clusterName);
    const { containerInstanceArn } = await ctx.commands.send(
      DeregisterContainerInstance,
      {
        cluster: target.clusterName,
        containerInstance: target.arn,
        ...(input.force === undefined ? {} : { force: input.force }),
      },
      ctx.metadata,
    );
    const rows = await findContainerInstances(ctx.db, [containerInstanceArn]);
    const [containerInstance] = await describeContainerInstances(ctx.db, rows, { tags: false });
    if (!containerInstance) {
      throw new EcsError(
        "ServerException",
        "The container instance was deregistered but cannot be read.",
      );
    }
    return { containerInstance };
  },
});
