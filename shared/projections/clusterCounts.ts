import type { Kysely } from "kysely";
import type { Database } from "../db/index.js";

/**
 * Recounts a cluster's instance and task counters from the instance and task
 * tables (of the same schema, so a rebuild recounts its own rows).
 */
export const recountCluster = async (db: Kysely<Database>, clusterName: string): Promise<void> => {
  await db
    .updateTable("clusters")
    .set((eb) => ({
      registered_container_instances_count: eb
        .selectFrom("container_instances")
        .select((e) => e.fn.countAll<number>().as("n"))
        .where("cluster_name", "=", clusterName)
        // As ECS counts them: ACTIVE and DRAINING instances are both registered.
        .where("status", "in", ["ACTIVE", "DRAINING"]),
      running_tasks_count: eb
        .selectFrom("tasks")
        .select((e) => e.fn.countAll<number>().as("n"))
        .where("cluster_name", "=", clusterName)
        .where("last_status", "=", "RUNNING"),
      pending_tasks_count: eb
        .selectFrom("tasks")
        .select((e) => e.fn.countAll<number>().as("n"))
        .where("cluster_name", "=", clusterName)
        .where("last_status", "in", ["PROVISIONING", "PENDING", "ACTIVATING"]),
    }))
    .where("cluster_name", "=", clusterName)
    .execute();
};

/** Recounts an instance's running and pending task counters. */
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
