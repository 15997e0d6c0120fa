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

export const findClusters = async (db: Kysely<Database>, names: readonly string[]) =>
  names.length === 0
    ? []
    : db.selectFrom("clusters").selectAll().where("cluster_name", "in", names).execute();

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
