import type { Kysely, Selectable } from "kysely";
import type { ClustersTable, Database } from "../../../../shared/db/index.js";
import { isManagedPool } from "../../../../shared/domain/capacityProviders/managedPools.js";
import { tagsOf } from "./tagQueries.js";

/** Live tasks and services of a cluster by launch type (EC2, FARGATE). */
export interface LaunchTypeCounts {
  readonly runningEC2: number;
  readonly runningFargate: number;
  readonly pendingEC2: number;
  readonly pendingFargate: number;
  readonly activeEC2Services: number;
  readonly activeFargateServices: number;
  readonly drainingEC2Services: number;
  readonly drainingFargateServices: number;
}

/** A cluster's row with the counts DescribeClusters shows, taken at read time. */
export type ClusterRow = Selectable<ClustersTable> & {
  readonly registered_container_instances_count: number;
  readonly running_tasks_count: number;
  readonly pending_tasks_count: number;
  readonly active_services_count: number;
  readonly counts: LaunchTypeCounts;
};

export const CLUSTER_INCLUDE = [
  "ATTACHMENTS",
  "CONFIGURATIONS",
  "SETTINGS",
  "STATISTICS",
  "TAGS",
] as const;
export type ClusterInclude = (typeof CLUSTER_INCLUDE)[number];

const PENDING = ["PROVISIONING", "PENDING", "ACTIVATING"] as const;
const LIVE = [...PENDING, "RUNNING"] as const;

/**
 * The clusters of these names, with their counts taken at read time (the
 * cluster's own row does not keep them: every task event would lock that one
 * row and wait for every other of the cluster; migrations/0021):
 * registered instances from the instances' rows; running and pending tasks
 * from the task rows of the cluster, by launch type (a FARGATE task runs on a
 * managed pool's instance, outside the cluster: docs/capacity-providers.md),
 * through the partial index tasks_cluster_live (migration 0017); ACTIVE and
 * DRAINING services by launch type (a service through a capacity provider
 * strategy counts as FARGATE when its strategy names the managed pools).
 */
export const findClusters = async (
  db: Kysely<Database>,
  names: readonly string[],
): Promise<ClusterRow[]> => {
  if (names.length === 0) return [];
  const [rows, instances, tasks, services] = await Promise.all([
    db.selectFrom("clusters").selectAll().where("cluster_name", "in", names).execute(),
    db
      .selectFrom("container_instances")
      .select((eb) => [
        "cluster_name",
        eb.fn
          .count<number>("container_instance_arn")
          .filterWhere("status", "in", ["ACTIVE", "DRAINING"])
          .as("registered"),
      ])
      .where("cluster_name", "in", names)
      .groupBy("cluster_name")
      .execute(),
    db
      .selectFrom("tasks")
      .select((eb) => [
        "cluster_name",
        "launch_type",
        "last_status",
        eb.fn.countAll<number>().as("n"),
      ])
      .where("cluster_name", "in", names)
      .where("last_status", "in", [...LIVE])
      .groupBy(["cluster_name", "launch_type", "last_status"])
      .execute(),
    db
      .selectFrom("services")
      .select((eb) => [
        "cluster_name",
        "status",
        "launch_type",
        "capacity_provider_strategy",
        eb.fn.countAll<number>().as("n"),
      ])
      .where("cluster_name", "in", names)
      .where("status", "in", ["ACTIVE", "DRAINING"])
      .groupBy(["cluster_name", "status", "launch_type", "capacity_provider_strategy"])
      .execute(),
  ]);
  const registered = new Map(instances.map((c) => [c.cluster_name, Number(c.registered)]));
  const counts = new Map<string, { -readonly [K in keyof LaunchTypeCounts]: number }>();
  const countsOf = (cluster: string) => {
    let c = counts.get(cluster);
    if (!c) {
      c = {
        runningEC2: 0,
        runningFargate: 0,
        pendingEC2: 0,
        pendingFargate: 0,
        activeEC2Services: 0,
        activeFargateServices: 0,
        drainingEC2Services: 0,
        drainingFargateServices: 0,
      };
      counts.set(cluster, c);
    }
    return c;
  };
  for (const t of tasks) {
    const c = countsOf(t.cluster_name);
    const fargate = t.launch_type === "FARGATE";
    const n = Number(t.n);
    if (t.last_status === "RUNNING") {
      if (fargate) c.runningFargate += n;
      else c.runningEC2 += n;
    } else if (fargate) c.pendingFargate += n;
    else c.pendingEC2 += n;
  }
  for (const s of services) {
    const c = countsOf(s.cluster_name);
    const strategy = s.capacity_provider_strategy ?? [];
    const fargate =
      s.launch_type === "FARGATE" ||
      (strategy.length > 0 && strategy.every((i) => isManagedPool(i.capacityProvider)));
    const n = Number(s.n);
    if (s.status === "ACTIVE") {
      if (fargate) c.activeFargateServices += n;
      else c.activeEC2Services += n;
    } else if (fargate) c.drainingFargateServices += n;
    else c.drainingEC2Services += n;
  }
  return rows.map((row) => {
    const c = countsOf(row.cluster_name);
    return {
      ...row,
      registered_container_instances_count: registered.get(row.cluster_name) ?? 0,
      running_tasks_count: c.runningEC2 + c.runningFargate,
      pending_tasks_count: c.pendingEC2 + c.pendingFargate,
      active_services_count: c.activeEC2Services + c.activeFargateServices,
      counts: c,
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

/** ECS's per-launch-type statistics (include STATISTICS). */
const statistics = ({ counts: c }: ClusterRow) => [
  { name: "runningEC2TasksCount", value: String(c.runningEC2) },
  { name: "runningFargateTasksCount", value: String(c.runningFargate) },
  { name: "pendingEC2TasksCount", value: String(c.pendingEC2) },
  { name: "pendingFargateTasksCount", value: String(c.pendingFargate) },
  { name: "activeEC2ServiceCount", value: String(c.activeEC2Services) },
  { name: "activeFargateServiceCount", value: String(c.activeFargateServices) },
  { name: "drainingEC2ServiceCount", value: String(c.drainingEC2Services) },
  { name: "drainingFargateServiceCount", value: String(c.drainingFargateServices) },
];
