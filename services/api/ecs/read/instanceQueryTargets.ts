import type { Kysely, Selectable } from "kysely";
import type { ContainerInstancesTable, Database } from "../../../../shared/db/index.js";
import type { ClusterQueryTarget } from "../../../../shared/domain/clusterQuery/index.js";
import { instanceTaskCounts } from "./instanceTaskCounts.js";

export type QueryTargetRow = Pick<
  Selectable<ContainerInstancesTable>,
  | "container_instance_arn"
  | "ec2_instance_id"
  | "attributes"
  | "agent_connected"
  | "version_info"
  | "registered_at"
>;

/**
 * The groups of the tasks on each instance that have not stopped, for the
 * cluster query's `task:group` (the placement engine sees the same tasks).
 */
const taskGroupsOf = async (
  db: Kysely<Database>,
  arns: readonly string[],
): Promise<Map<string, { group: string }[]>> => {
  const byArn = new Map<string, { group: string }[]>(arns.map((arn) => [arn, []]));
  if (arns.length === 0) return byArn;
  const rows = await db
    .selectFrom("tasks")
    .select(["container_instance_arn", "task_group"])
    .where("container_instance_arn", "in", arns)
    .where("last_status", "!=", "STOPPED")
    .execute();
  for (const r of rows) byArn.get(r.container_instance_arn)?.push({ group: r.task_group });
  return byArn;
};

/** Instance rows as what a cluster query is evaluated against; task groups only when asked. */
export const instanceQueryTargets = async (
  db: Kysely<Database>,
  rows: readonly QueryTargetRow[],
  options: { readonly taskGroups: boolean },
): Promise<ClusterQueryTarget[]> => {
  const arns = rows.map((r) => r.container_instance_arn);
  const [counts, groups] = await Promise.all([
    instanceTaskCounts(db, arns),
    options.taskGroups ? taskGroupsOf(db, arns) : undefined,
  ]);
  return rows.map((row) => ({
    ec2InstanceId: row.ec2_instance_id,
    attributes: Object.fromEntries(row.attributes.map((a) => [a.name, a.value])),
    agentConnected: row.agent_connected,
    agentVersion: row.version_info.agentVersion,
    registeredAt: row.registered_at.toISOString(),
    runningTasksCount: counts.get(row.container_instance_arn)?.running ?? 0,
    tasks: groups?.get(row.container_instance_arn) ?? [],
  }));
};
