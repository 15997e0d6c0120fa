import { sql, type Kysely } from "kysely";
import { autoScalingGroupNameOf } from "../../../shared/domain/capacityProviders/managedPools.js";
import type { Database } from "../../../shared/db/index.js";

/**
 * The reads the capacity provider handlers decide on, from the projections.
 * They cross streams, so they are checks at the time of the command, as
 * DeleteCluster's count of active services is: two concurrent commands can
 * both pass them.
 */

/** The names of every ACTIVE instance-based capacity provider. */
export const activeCapacityProviderNames = async (db: Kysely<Database>): Promise<Set<string>> => {
  const rows = await db
    .selectFrom("capacity_providers")
    .select("name")
    .where("status", "=", "ACTIVE")
    .execute();
  return new Set(rows.map((r) => r.name));
};

/** Another ACTIVE provider whose group is the same (compared by group name), if any. */
export const providerOfGroup = async (
  db: Kysely<Database>,
  name: string,
  autoScalingGroupArn: string,
): Promise<string | undefined> => {
  const group = autoScalingGroupNameOf(autoScalingGroupArn);
  const rows = await db
    .selectFrom("capacity_providers")
    .select(["name", "auto_scaling_group_arn"])
    .where("status", "=", "ACTIVE")
    .where("name", "<>", name)
    .execute();
  return rows.find((r) => autoScalingGroupNameOf(r.auto_scaling_group_arn ?? "") === group)?.name;
};

/** The ACTIVE clusters that have this capacity provider. */
export const clustersWithProvider = async (
  db: Kysely<Database>,
  name: string,
): Promise<string[]> => {
  const rows = await db
    .selectFrom("clusters")
    .select("cluster_name")
    .where("status", "=", "ACTIVE")
    .where(sql<boolean>`capacity_providers ? ${name}`)
    .orderBy("cluster_name")
    .execute();
  return rows.map((r) => r.cluster_name);
};

/**
 * The capacity providers a cluster's services (ACTIVE or DRAINING, by their
 * strategy) and live tasks (by the provider they were placed through) use.
 */
export const providersInUse = async (
  db: Kysely<Database>,
  clusterName: string,
): Promise<Set<string>> => {
  const [services, tasks] = await Promise.all([
    db
      .selectFrom("services")
      .select("capacity_provider_strategy")
      .where("cluster_name", "=", clusterName)
      .where("status", "in", ["ACTIVE", "DRAINING"])
      .execute(),
    db
      .selectFrom("tasks")
      .select("capacity_provider_name")
      .distinct()
      .where("cluster_name", "=", clusterName)
      .where("last_status", "<>", "STOPPED")
      .where("capacity_provider_name", "is not", null)
      .execute(),
  ]);
  const used = new Set<string>();
  for (const s of services) {
    for (const item of s.capacity_provider_strategy ?? []) used.add(item.capacityProvider);
  }
  for (const t of tasks) if (t.capacity_provider_name) used.add(t.capacity_provider_name);
  return used;
};
