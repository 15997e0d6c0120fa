import { sql, type Kysely } from "kysely";
import type { Database } from "../../../../shared/db/index.js";

/** Whether an agent may ship a task's log lines. */
export type OwnsTask = (agentId: string, taskArn: string) => Promise<boolean>;

const REMEMBERED = 10_000;

/**
 * The task was placed on the container instance this agent registered (its
 * EC2-style id is the agent id). A task never moves, so a yes is remembered.
 */
export const taskOwnership = (db: Kysely<Database>): OwnsTask => {
  const known = new Set<string>();
  return async (agentId, taskArn) => {
    const key = `${agentId} ${taskArn}`;
    if (known.has(key)) return true;
    const rows = await sql`
      SELECT 1 FROM tasks t
        JOIN container_instances ci ON ci.container_instance_arn = t.container_instance_arn
       WHERE t.task_arn = ${taskArn} AND ci.ec2_instance_id = ${agentId}`.execute(db);
    if (rows.rows.length === 0) return false;
    if (known.size >= REMEMBERED) known.clear();
    known.add(key);
    return true;
  };
};
