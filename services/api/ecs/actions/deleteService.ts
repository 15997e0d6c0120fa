import { DeleteService } from "../../../../shared/commands/scheduler/index.js";
import { EcsError } from "../../../../shared/domain/errors.js";
import { defineAction } from "../../protocol/action.js";
import { describeServices, findServiceByArn } from "../read/serviceQueries.js";

/** The service goes DRAINING (desiredCount 0), then INACTIVE once its last task stopped. */
export const deleteService = defineAction({
  name: "DeleteService",
  input: DeleteService.payload,
  async handle(input, ctx) {
    const { serviceArn } = await ctx.commands.send(DeleteService, input, ctx.metadata);
    const row = await findServiceByArn(ctx.db, serviceArn);
    if (!row) throw new EcsError("ServerException", "The service was deleted but cannot be read.");
    const [service] = await describeServices(ctx.db, ctx.arn, [row], { tags: false });
    return { service };
  },
});
