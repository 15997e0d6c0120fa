import type { Kysely } from "kysely";
import type { Database } from "../../../../shared/db/index.js";

export interface InstanceTaskCounts {
  readonly running: number;
  readonly pending: number;
}

const PENDING = ["PROVISIONING", "PENDING", "ACTIVATING"] as const;

/**
 * The running and pending tasks of each instance, counted when read through
 * the index tasks_instance (container_instance_arn, last_status). The
 * instance's row does not keep them: every task event would lock that row in
 * its append, and every agent report would wait for the service step that
 * holds it (migrations/0021_counts_at_read_time.sql).
 */
export const instanceTaskCounts = async (
  db: Kysely<Database>,
  arns: readonly string[],
): Promise<Map<string, InstanceTaskCounts>> => {
  const byArn = new Map<string, { running: number; pending: number }>(
    arns.map((arn) => [arn, { running: 0, pending: 0 }]),
  );
  if (arns.length === 0) return byArn;
  const rows = await db
    .selectFrom("tasks")
    .select((eb) => ["container_instance_arn", "last_status", eb.fn.countAll<string>().as("n")])
    .where("container_instance_arn", "in", arns)
    .where("last_status", "in", ["RUNNING", ...PENDING])
    .groupBy(["container_instance_arn", "last_status"])
    .execute();
  for (const r of rows) {
    const counts = byArn.get(r.container_instance_arn);
    if (!counts) continue;
    if (r.last_status === "RUNNING") counts.running += Number(r.n);
    else counts.pending += Number(r.n);
  }
  return byArn;
};
