import type { Kysely, Selectable } from "kysely";
import { FARGATE_PLATFORM_VERSION } from "../../../../shared/domain/capacityProviders/managedPools.js";
import { type ArnContext, clusterArn } from "../../../../shared/domain/arn.js";
import type { Database, TasksTable } from "../../../../shared/db/index.js";
import { epochSeconds, optionalTime } from "./time.js";
import { tagsOfMany } from "./tagQueries.js";

export type TaskRow = Selectable<TasksTable>;

export const TASK_INCLUDE = ["TAGS"] as const;

/** One container as the task projection stores it (see shared/projections/taskProjection.ts). */
interface StoredContainer {
  readonly containerArn: string;
  readonly name: string;
  readonly image: string;
  readonly essential?: boolean;
  readonly cpu?: string;
  readonly memory?: string;
  readonly memoryReservation?: string;
  readonly lastStatus: string;
  readonly exitCode?: number;
  readonly reason?: string;
  readonly networkBindings?: readonly unknown[];
  readonly healthStatus?: string;
  readonly runtimeId?: string;
}

export const storedContainers = (row: Pick<TaskRow, "containers">): readonly StoredContainer[] =>
  row.containers as unknown as StoredContainer[];

export const findTasks = async (
  db: Kysely<Database>,
  arns: readonly string[],
): Promise<TaskRow[]> =>
  arns.length === 0
    ? []
    : db.selectFrom("tasks").selectAll().where("task_arn", "in", arns).execute();

/** ECS's `Attachment`s of a task (awsvpc: its ENI), as the projection stores them. */
interface StoredAttachment {
  readonly id: string;
  readonly type: string;
  readonly status: string;
  readonly details: readonly { readonly name: string; readonly value: string }[];
}

const attachmentsOf = (row: Partial<Pick<TaskRow, "attachments">>): readonly StoredAttachment[] =>
  (row.attachments ?? []) as unknown as StoredAttachment[];

/** Each container's `networkInterfaces`: the task's ENI, shared by all its containers. */
const networkInterfacesOf = (
  attachments: readonly StoredAttachment[],
): { attachmentId: string; privateIpv4Address: string }[] =>
  attachments.flatMap((a) => {
    const ip = a.details.find((d) => d.name === "privateIPv4Address")?.value;
    return a.type === "ElasticNetworkInterface" && ip !== undefined
      ? [{ attachmentId: a.id, privateIpv4Address: ip }]
      : [];
  });

/** ECS's `Container` shape. */
export const formatContainer = (
  taskArn: string,
  c: StoredContainer,
  networkInterfaces: readonly unknown[] = [],
): Record<string, unknown> => ({
  containerArn: c.containerArn,
  taskArn,
  name: c.name,
  image: c.image,
  ...(c.runtimeId === undefined ? {} : { runtimeId: c.runtimeId }),
  lastStatus: c.lastStatus,
  ...(c.exitCode === undefined ? {} : { exitCode: c.exitCode }),
  ...(c.reason === undefined ? {} : { reason: c.reason }),
  networkBindings: c.networkBindings ?? [],
  networkInterfaces: [...networkInterfaces],
  healthStatus: c.healthStatus ?? "UNKNOWN",
  ...(c.cpu === undefined ? {} : { cpu: c.cpu }),
  ...(c.memory === undefined ? {} : { memory: c.memory }),
  ...(c.memoryReservation === undefined ? {} : { memoryReservation: c.memoryReservation }),
});

/** A task is CONNECTED once it reached RUNNING (and stays so, as in ECS, after it stops). */
const connected = (row: TaskRow): boolean =>
  row.started_at !== null || row.last_status === "RUNNING";

/**
 * What ECS shows of a FARGATE task's platform (and no `containerInstanceArn`:
 * its managed pool's instance is nobody's to see).
 */
const FARGATE_PLATFORM = {
  platformVersion: FARGATE_PLATFORM_VERSION,
  platformFamily: "Linux",
  ephemeralStorage: { sizeInGiB: 20 },
} as const;

/** ECS's `Task` shape; `tags` only when given. */
export const formatTask = (
  arnCtx: ArnContext,
  row: TaskRow,
  tags?: readonly { key: string; value: string }[],
): Record<string, unknown> => ({
  attachments: attachmentsOf(row),
  attributes: [],
  ...(row.availability_zone === null ? {} : { availabilityZone: row.availability_zone }),
  ...(row.capacity_provider_name == null
    ? {}
    : { capacityProviderName: row.capacity_provider_name }),
  clusterArn: clusterArn(arnCtx, row.cluster_name),
  ...(connected(row) ? { connectivity: "CONNECTED" } : {}),
  ...(connected(row) && row.started_at !== null
    ? { connectivityAt: epochSeconds(row.started_at) }
    : {}),
  ...(row.launch_type === "FARGATE" ? {} : { containerInstanceArn: row.container_instance_arn }),
  containers: storedContainers(row).map((c) =>
    formatContainer(row.task_arn, c, networkInterfacesOf(attachmentsOf(row))),
  ),
  cpu: row.cpu,
  createdAt: epochSeconds(row.created_at),
  desiredStatus: row.desired_status,
  enableExecuteCommand: false,
  ...optionalTime("executionStoppedAt", row.execution_stopped_at),
  group: row.task_group,
  healthStatus: row.health_status,
  lastStatus: row.last_status,
  launchType: row.launch_type,
  memory: row.memory,
  overrides: { containerOverrides: [], ...row.overrides },
  ...optionalTime("pullStartedAt", row.pull_started_at),
  ...optionalTime("pullStoppedAt", row.pull_stopped_at),
  ...optionalTime("startedAt", row.started_at),
  ...(row.launch_type === "FARGATE" ? FARGATE_PLATFORM : {}),
  ...(row.started_by === null ? {} : { startedBy: row.started_by }),
  ...(row.stop_code === null ? {} : { stopCode: row.stop_code }),
  ...optionalTime("stoppedAt", row.stopped_at),
  ...(row.stopped_reason === null ? {} : { stoppedReason: row.stopped_reason }),
  ...optionalTime("stoppingAt", row.stopping_at),
  ...(tags === undefined ? {} : { tags }),
  taskArn: row.task_arn,
  taskDefinitionArn: row.task_definition_arn,
  version: row.version,
});

/** Formats rows in the order given, reading tags (when asked) in one query. */
export const describeTasks = async (
  db: Kysely<Database>,
  arnCtx: ArnContext,
  rows: readonly TaskRow[],
  options: { readonly tags: boolean },
): Promise<Record<string, unknown>[]> => {
  const tags = options.tags
    ? await tagsOfMany(
        db,
        rows.map((r) => r.task_arn),
      )
    : undefined;
  return rows.map((row) => formatTask(arnCtx, row, tags?.get(row.task_arn)));
};

/** The rows of `arns` in that order (those found), read in one query. */
export const tasksInOrder = async (
  db: Kysely<Database>,
  arns: readonly string[],
): Promise<TaskRow[]> => {
  const byArn = new Map((await findTasks(db, arns)).map((r) => [r.task_arn, r]));
  return arns.flatMap((arn) => {
    const row = byArn.get(arn);
    return row ? [row] : [];
  });
};
