import { sql } from "kysely";
import {
  MANAGED_POOLS,
  poolClusterName,
} from "../../../shared/domain/capacityProviders/managedPools.js";
import type { EventMetadata } from "../../../shared/eventstore/index.js";
import type { SchedulerContext } from "../context.js";
import { reportTaskState } from "./reportTaskStateHandler.js";

/** The stop reason of a FARGATE task whose pool instance was lost. */
export const LOST_POOL_INSTANCE_REASON =
  "Task stopped because the Fargate capacity it ran on was lost (its agent stopped responding).";

/**
 * A FARGATE task has no instance its user could wait for: when a managed
 * pool's instance is lost (its agent silent past the heartbeat timeout, or
 * the instance deregistered), every task on it that is not STOPPED yet is
 * recorded STOPPED — in its own cluster's stream (the pool serves many
 * clusters) — with stop code `TerminationNotice`, and its reservation on the
 * pool instance is released, as a STOPPED report from its agent would. A
 * service then replaces it; an agent that comes back finds the task gone
 * from its manifest and removes its containers. An EC2 instance's tasks are
 * left as they are (ECS keeps them; the service scheduler fences its own).
 *
 * A sweep over the read models, so it is idempotent: every replica may run
 * it, and one that crashed half way is completed by the next pass.
 */
export const stopTasksOfLostPoolInstances = async (
  ctx: SchedulerContext,
  metadata: EventMetadata,
): Promise<string[]> => {
  const rows = await ctx.db
    .selectFrom("tasks as t")
    .innerJoin("container_instances as ci", "ci.container_instance_arn", "t.container_instance_arn")
    .select(["t.task_arn", "t.containers"])
    .where(
      "ci.cluster_name",
      "in",
      MANAGED_POOLS.map((p) => poolClusterName(p)),
    )
    .where((eb) => eb.or([eb("ci.agent_connected", "=", false), eb("ci.status", "=", "INACTIVE")]))
    .where("t.last_status", "!=", "STOPPED")
    .orderBy(sql`t.task_arn COLLATE "C"`)
    .execute();
  const at = ctx.clock().getTime() / 1000;
  // Not a sign of life from the lost instance's agent (a report from it would be).
  const { sawAgent: _notTheAgent, ...quiet } = ctx;
  const stopped: string[] = [];
  for (const row of rows) {
    const containers = row.containers as unknown as { name: string }[];
    try {
      await reportTaskState(
        quiet,
        {
          taskArn: row.task_arn,
          lastStatus: "STOPPED",
          containers: containers.map((c) => ({ name: c.name, lastStatus: "STOPPED" as const })),
          stopCode: "TerminationNotice",
          stoppedReason: LOST_POOL_INSTANCE_REASON,
          executionStoppedAt: at,
          stoppedAt: at,
          at,
        },
        metadata,
      );
      stopped.push(row.task_arn);
    } catch (err) {
      // One task that cannot be stopped now (a busy stream) does not hold up the others;
      // the next pass tries it again.
      ctx.log.warn({ err, taskArn: row.task_arn }, "could not stop a task of a lost pool instance");
    }
  }
  return stopped;
};
