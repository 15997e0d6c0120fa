import { z } from "zod";
import { parseArn } from "../../../../shared/domain/arn.js";
import { EcsError, clusterNotFound } from "../../../../shared/domain/errors.js";
import { defineAction } from "../../protocol/action.js";
import { tagsOf } from "../read/tagQueries.js";

export const listTagsForResource = defineAction({
  name: "ListTagsForResource",
  input: z.object({ resourceArn: z.string() }),
  async handle(input, ctx) {
    const arn = parseArn(input.resourceArn);
    if (!arn || arn.service !== "ecs") {
      throw new EcsError(
        "InvalidParameterException",
        `resourceArn: '${input.resourceArn}' is not a valid ECS resource ARN.`,
      );
    }
    const exists =
      arn.resourceType === "cluster"
        ? await ctx.db
            .selectFrom("clusters")
            .select("status")
            .where("cluster_arn", "=", input.resourceArn)
            .where("status", "=", "ACTIVE")
            .executeTakeFirst()
        : arn.resourceType === "task-definition"
          ? await ctx.db
              .selectFrom("task_definitions")
              .select("status")
              .where("task_definition_arn", "=", input.resourceArn)
              .executeTakeFirst()
          : arn.resourceType === "service"
            ? await ctx.db
                .selectFrom("services")
                .select("status")
                .where("service_arn", "=", input.resourceArn)
                .where("status", "in", ["ACTIVE", "DRAINING"])
                .executeTakeFirst()
            : arn.resourceType === "capacity-provider"
              ? await ctx.db
                  .selectFrom("capacity_providers")
                  .select("status")
                  .where("capacity_provider_arn", "=", input.resourceArn)
                  .where("status", "=", "ACTIVE")
                  .executeTakeFirst()
              : undefined;
    if (!exists) {
      if (arn.resourceType === "cluster") throw clusterNotFound();
      throw new EcsError("ResourceNotFoundException", "The specified resource could not be found.");
    }
    return { tags: await tagsOf(ctx.db, input.resourceArn) };
  },
});
