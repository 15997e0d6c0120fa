import { UpdateService } from "../../../../shared/commands/scheduler/index.js";
import { EcsError } from "../../../../shared/domain/errors.js";
import { defineAction } from "../../protocol/action.js";
import { describeServices, findServiceByArn } from "../read/serviceQueries.js";
import {
  IgnoredServiceOptions,
  requireEcsDeploymentController,
  withoutIgnoredServiceOptions,
} from "../serviceOptions.js";

/** Changes what is given; a new task definition, placement or forceNewDeployment starts a deployment. */
export const updateService = defineAction({
  name: "UpdateService",
  input: UpdateService.payload.extend(IgnoredServiceOptions),
  async handle(input, ctx) {
    requireEcsDeploymentController(input.deploymentController);
    const { serviceArn } = await ctx.commands.send(
      UpdateService,
      withoutIgnoredServiceOptions(input),
      ctx.metadata,
    );
    const row = await findServiceByArn(ctx.db, serviceArn);
    if (!row) throw new EcsError("ServerException", "The service was updated but cannot be read.");
    const [service] = await describeServices(ctx.db, ctx.arn, [row], { tags: false });
    return { service };
  },
});
