import type { Kysely, Selectable } from "kysely";
import type { ClustersTable, Database } from "../../../../shared/db/index.js";
import { tagsOf } from "./tagQueries.js";

export type ClusterRow = Selectable<ClustersTable>;

export const CLUSTER_INCLUDE = [
  "ATTACHMENTS",
  "CONFIGURATIONS",
  "SETTINGS",
  "STATISTICS",
  "TAGS",
] as const;
export type ClusterInclude = (typeof CLUSTER_INCLUDE)[number];

/**
 * The clusters of these names, with their instance and task counts summed from
 * the instances' rows at read time (the cluster's own row does not keep them:
 * shared/projections/clusterCounts.ts), and their ACTIVE services counted at read
 * time too (shared/projections/serviceProjection.ts). Every task runs on an instance of its
 * cluster, and an instance's row outlives its deregistration, so the sums count
 * every task of the cluster.
 */
export const findClusters = async (
  db: Kysely<Database>,
  names: readonly string[],
): Promise<ClusterRow[]> => {
  if (names.length === 0) return [];
  const [rows, counts, services] = await Promise.all([
    db.selectFrom("clusters").selectAll().where("cluster_name", "in", names).execute(),
    db
      .selectFrom("container_instances")
      .select((eb) => [
        "cluster_name",
        eb.fn
          .count<number>("container_instance_arn")
          .filterWhere("status", "in", ["ACTIVE", "DRAINING"])
          .as("registered"),
        eb.fn.coalesce(eb.fn.sum<number>("running_tasks_count"), eb.lit(0)).as("running"),
        eb.fn.coalesce(eb.fn.sum<number>("pending_tasks_count"), eb.lit(0)).as("pending"),
      ])
      .where("cluster_name", "in", names)
      .groupBy("cluster_name")
      .execute(),
    db
      .selectFrom("services")
      .select((eb) => ["cluster_name", eb.fn.countAll<number>().as("active")])
      .where("cluster_name", "in", names)
      .where("status", "=", "ACTIVE")
      .groupBy("cluster_name")
      .execute(),
  ]);
  const byName = new Map(counts.map((c) => [c.cluster_name, c]));
  const activeServices = new Map(services.map((s) => [s.cluster_name, Number(s.active)]));
  return rows.map((row) => {
    const c = byName.get(row.cluster_name);
    return {
      ...row,
      registered_container_instances_count: Number(c?.registered ?? 0),
      running_tasks_count: Number(c?.running ?? 0),
      pending_tasks_count: Number(c?.pending ?? 0),
      active_services_count: activeServices.get(row.cluster_name) ?? 0,
    };
  });
};

/** The ECS `Cluster` shape; optional parts only when `include` asks for them. */
export const describeCluster = async (
  db: Kysely<Database>,
  row: ClusterRow,
  include: readonly ClusterInclude[],
): Promise<Record<string, unknown>> => {
  const cluster: Record<string, unknown> = {
    clusterArn: row.cluster_arn,
    clusterName: row.cluster_name,
    status: row.status,
    registeredContainerInstancesCount: row.registered_container_instances_count,
    runningTasksCount: row.running_tasks_count,
    pendingTasksCount: row.pending_tasks_count,
    activeServicesCount: row.active_services_count,
    statistics: include.includes("STATISTICS") ? statistics(row) : [],
    capacityProviders: row.capacity_providers,
    defaultCapacityProviderStrategy: row.default_capacity_provider_strategy,
  };
  if (include.includes("SETTINGS")) cluster.settings = row.settings;
  if (include.includes("CONFIGURATIONS") && row.configuration) {
    cluster.configuration = row.configuration;
  }
  if (include.includes("ATTACHMENTS")) cluster.attachments = [];
  if (include.includes("TAGS")) cluster.tags = await tagsOf(db, row.cluster_arn);
  if (row.service_connect_defaults) cluster.serviceConnectDefaults = row.service_connect_defaults;
  return cluster;
};

/** Counts by launch type; every task is EC2 until FARGATE capacity exists. */
const statistics = (row: ClusterRow) => [
  { name: "runningEC2TasksCount", value: String(row.running_tasks_count) },
  { name: "runningFargateTasksCount", value: "0" },
  { name: "pendingEC2TasksCount", value: String(row.pending_tasks_count) },
  { name: "pendingFargateTasksCount", value: "0" },
  { name: "activeEC2ServiceCount", value: String(row.active_services_count) },
  { name: "activeFargateServiceCount", value: "0" },
  { name: "drainingEC2ServiceCount", value: "0" },
  { name: "drainingFargateServiceCount", value: "0" },
];
