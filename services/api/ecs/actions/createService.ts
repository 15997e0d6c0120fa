import { CreateService } from "../../../../shared/commands/scheduler/index.js";
import { EcsError } from "../../../../shared/domain/errors.js";
import { defineAction } from "../../protocol/action.js";
import { describeServices, findServiceByArn } from "../read/serviceQueries.js";
import {
  IgnoredServiceOptions,
  requireEcsDeploymentController,
  withoutIgnoredServiceOptions,
} from "../serviceOptions.js";

/** A service that keeps `desiredCount` tasks of a task definition running (rolling updates). */
export const createService = defineAction({
  name: "CreateService",
  input: CreateService.payload.extend(IgnoredServiceOptions),
  async handle(input, ctx) {
    requireEcsDeploymentController(input.deploymentController);
    const { serviceArn } = await ctx.commands.send(
      CreateService,
      withoutIgnoredServiceOptions(input),
      ctx.metadata,
    );
    const row = await findServiceByArn(ctx.db, serviceArn);
    if (!row) throw new EcsError("ServerException", "The service was created but cannot be read.");
    const [service] = await describeServices(ctx.db, ctx.arn, [row], { tags: true });
    return { service };
  },
});
