import type { Kysely } from "kysely";
import type { Database } from "../db/index.js";

/**
 * Recounts an instance's running and pending task counters from the task table
 * (of the same schema, so a rebuild recounts its own rows). Only the instance's
 * own row is locked, so task events on different instances never wait for each
 * other. A cluster's counts are not kept in its row: every task event would
 * lock that one row and recount the whole cluster, serialising every state
 * change of the cluster (docs/performance.md); DescribeClusters sums them from
 * the instances at read time (services/api/ecs/read/clusterQueries.ts).
 */
export const recountInstance = async (
  db: Kysely<Database>,
  containerInstanceArn: string,
): Promise<void> => {
  await db
    .updateTable("container_instances")
    .set((eb) => ({
      running_tasks_count: eb
        .selectFrom("tasks")
        .select((e) => e.fn.countAll<number>().as("n"))
        .where("container_instance_arn", "=", containerInstanceArn)
        .where("last_status", "=", "RUNNING"),
      pending_tasks_count: eb
        .selectFrom("tasks")
        .select((e) => e.fn.countAll<number>().as("n"))
        .where("container_instance_arn", "=", containerInstanceArn)
        .where("last_status", "in", ["PROVISIONING", "PENDING", "ACTIVATING"]),
    }))
    .where("container_instance_arn", "=", containerInstanceArn)
    .execute();
};
