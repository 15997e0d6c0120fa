import type { SchedulerContext } from "../context.js";

/** The agent id (EC2-style instance id) of a container instance, from the read model. */
export const agentOfInstance = async (
  ctx: SchedulerContext,
  containerInstanceArn: string,
): Promise<string | undefined> =>
  (
    await ctx.db
      .selectFrom("container_instances")
      .select("ec2_instance_id")
      .where("container_instance_arn", "=", containerInstanceArn)
      .executeTakeFirst()
  )?.ec2_instance_id;
