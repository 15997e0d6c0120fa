import type { Kysely, Selectable } from "kysely";
import type { ContainerInstancesTable, Database } from "../../../../shared/db/index.js";
import {
  type Capacity,
  type Resource,
  capacityFromResources,
  remainingCapacity,
  resourcesFromCapacity,
} from "../../../../shared/domain/resources.js";
import { type InstanceTaskCounts, instanceTaskCounts } from "./instanceTaskCounts.js";
import { epochSeconds } from "./time.js";
import { tagsOfMany } from "./tagQueries.js";

export type ContainerInstanceRow = Selectable<ContainerInstancesTable>;

export const CONTAINER_INSTANCE_INCLUDE = ["TAGS", "CONTAINER_INSTANCE_HEALTH"] as const;
export type ContainerInstanceInclude = (typeof CONTAINER_INSTANCE_INCLUDE)[number];

export const findContainerInstances = async (
  db: Kysely<Database>,
  arns: readonly string[],
): Promise<ContainerInstanceRow[]> =>
  arns.length === 0
    ? []
    : db
        .selectFrom("container_instances")
        .selectAll()
        .where("container_instance_arn", "in", arns)
        .execute();

/** The reservations of the tasks placed on each instance (and not yet stopped). */
export const reservationsOf = async (
  db: Kysely<Database>,
  arns: readonly string[],
): Promise<Map<string, Capacity[]>> => {
  const byArn = new Map<string, Capacity[]>(arns.map((arn) => [arn, []]));
  if (arns.length === 0) return byArn;
  const rows = await db
    .selectFrom("task_reservations")
    .selectAll()
    .where("container_instance_arn", "in", arns)
    .execute();
  for (const r of rows) {
    byArn.get(r.container_instance_arn)?.push({
      cpu: r.cpu,
      memory: r.memory,
      tcpPorts: r.tcp_ports,
      udpPorts: r.udp_ports,
    });
  }
  return byArn;
};

/**
 * ECS's `ContainerInstance` shape. `remainingResources` is what was registered
 * minus every reservation, with the reserved ports added to the registered ones
 * (ECS lists ports in use, not ports free). Tags only when given.
 */
export const formatContainerInstance = (
  row: ContainerInstanceRow,
  reservations: readonly Capacity[],
  counts: InstanceTaskCounts,
  tags?: readonly { key: string; value: string }[],
): Record<string, unknown> => {
  const registered = row.registered_resources as Resource[];
  const remaining = remainingCapacity(capacityFromResources(registered), reservations);
  return {
    containerInstanceArn: row.container_instance_arn,
    ec2InstanceId: row.ec2_instance_id,
    version: row.version,
    versionInfo: row.version_info,
    remainingResources: resourcesFromCapacity(remaining),
    registeredResources: registered,
    status: row.status,
    agentConnected: row.agent_connected,
    runningTasksCount: counts.running,
    pendingTasksCount: counts.pending,
    attributes: row.attributes,
    registeredAt: epochSeconds(row.registered_at),
    ...(tags === undefined ? {} : { tags }),
  };
};

/** Formats rows in the order given, reading reservations (and tags) in one query each. */
export const describeContainerInstances = async (
  db: Kysely<Database>,
  rows: readonly ContainerInstanceRow[],
  options: { readonly tags: boolean },
): Promise<Record<string, unknown>[]> => {
  const arns = rows.map((r) => r.container_instance_arn);
  const [reservations, counts, tags] = await Promise.all([
    reservationsOf(db, arns),
    instanceTaskCounts(db, arns),
    options.tags ? tagsOfMany(db, arns) : undefined,
  ]);
  return rows.map((row) =>
    formatContainerInstance(
      row,
      reservations.get(row.container_instance_arn) ?? [],
      counts.get(row.container_instance_arn) ?? { running: 0, pending: 0 },
      tags?.get(row.container_instance_arn),
    ),
  );
};
