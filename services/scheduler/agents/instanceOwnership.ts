import { EcsError } from "../../../shared/domain/errors.js";
import type { SchedulerContext } from "../context.js";

/**
 * Which agent a container instance belongs to. NATS permissions confine an
 * agent to its own subjects (`<prefix>.agent.<agentId>.>`), but the container
 * instance ARN is in the message body: without this check agent A could ask,
 * on its own subject, for B's manifest, report B's tasks or keep B alive with
 * heartbeats. An ARN is issued to one agent at registration and never moves,
 * so a confirmed pair is remembered; an unknown ARN is looked up each time
 * (its registration may not have committed yet).
 */
export class InstanceOwnership {
  private readonly confirmed = new Map<string, string>();

  constructor(private readonly ctx: Pick<SchedulerContext, "db">) {}

  /** True when the instance is registered to this agent or is not registered at all. */
  async mayUse(agentId: string, containerInstanceArn: string): Promise<boolean> {
    const known = this.confirmed.get(containerInstanceArn);
    if (known !== undefined) return known === agentId;
    const row = await this.ctx.db
      .selectFrom("container_instances")
      .select("ec2_instance_id")
      .where("container_instance_arn", "=", containerInstanceArn)
      .executeTakeFirst();
    if (row === undefined) return true;
    this.confirmed.set(containerInstanceArn, row.ec2_instance_id);
    return row.ec2_instance_id === agentId;
  }

  /** Throws AccessDeniedException when the instance belongs to another agent. */
  async assert(agentId: string, containerInstanceArn: string): Promise<void> {
    if (!(await this.mayUse(agentId, containerInstanceArn))) {
      throw new EcsError(
        "AccessDeniedException",
        `Agent ${agentId} may not act for container instance ${containerInstanceArn}.`,
      );
    }
  }
}
