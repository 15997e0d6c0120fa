import { sql, type Kysely, type Selectable } from "kysely";
import { type ArnContext, clusterArn } from "../../../../shared/domain/arn.js";
import type { Database, ServicesTable, StoredDeployment } from "../../../../shared/db/index.js";
import { tagsOfMany } from "./tagQueries.js";
import { epochSeconds } from "./time.js";

export type ServiceRow = Selectable<ServicesTable>;

export const SERVICE_INCLUDE = ["TAGS"] as const;

/** DescribeServices shows at most this many event messages per service, newest first. */
const MAX_EVENTS = 100;

/** Task states that count as pending (desired RUNNING, not RUNNING yet). */
const PENDING_STATES = ["PROVISIONING", "PENDING", "ACTIVATING"] as const;

export interface TaskCounts {
  readonly running: number;
  readonly pending: number;
}

/** A service's live counts: all its tasks, and those of each deployment (by `startedBy`). */
export interface ServiceTaskCounts {
  readonly service: TaskCounts;
  readonly byDeployment: ReadonlyMap<string, TaskCounts>;
}

export interface ServiceEventMessage {
  readonly id: string;
  readonly createdAt: Date;
  readonly message: string;
}

const NO_TASKS: ServiceTaskCounts = {
  service: { running: 0, pending: 0 },
  byDeployment: new Map(),
};

/**
 * DescribeServices' lookup in one round trip: the services of `names` in `clusterName`, and
 * whether that cluster is ACTIVE (undefined when it is not, or does not exist).
 */
export const findServicesInActiveCluster = async (
  db: Kysely<Database>,
  clusterName: string,
  names: readonly string[],
): Promise<ServiceRow[] | undefined> => {
  const found = await db
    .selectFrom("clusters as c")
    .leftJoin("services as s", (join) =>
      names.length === 0
        ? join.on(sql<boolean>`false`)
        : join.on("s.cluster_name", "=", clusterName).on("s.service_name", "in", names),
    )
    .select("c.status as cluster_status")
    .selectAll("s")
    .where("c.cluster_name", "=", clusterName)
    .execute();
  if (found[0]?.cluster_status !== "ACTIVE") return undefined;
  return found.flatMap(({ cluster_status: _status, ...row }) =>
    row.service_arn === null ? [] : [row as ServiceRow],
  );
};

export const findServiceByArn = async (
  db: Kysely<Database>,
  serviceArn: string,
): Promise<ServiceRow | undefined> =>
  db.selectFrom("services").selectAll().where("service_arn", "=", serviceArn).executeTakeFirst();

const groupKey = (clusterName: string, serviceName: string): string =>
  `${clusterName}/service:${serviceName}`;

/**
 * Live task counts of services, in one query over `tasks`: running is
 * lastStatus RUNNING and, where the task definition has an essential
 * container health check, HEALTHY; pending is every other task on its way
 * (PROVISIONING / PENDING / ACTIVATING, or RUNNING and not yet healthy);
 * both only while desired RUNNING. A service's tasks are its group
 * (`service:<name>`); a deployment's are those it started (`startedBy`).
 */
export const countServiceTasks = async (
  db: Kysely<Database>,
  rows: readonly ServiceRow[],
): Promise<Map<string, ServiceTaskCounts>> => {
  const counts = new Map<string, { service: TaskCounts; byDeployment: Map<string, TaskCounts> }>();
  if (rows.length === 0) return counts;
  const clusters = [...new Set(rows.map((r) => r.cluster_name))];
  const groups = [...new Set(rows.map((r) => `service:${r.service_name}`))];
  const byGroup = new Map(rows.map((r) => [groupKey(r.cluster_name, r.service_name), r]));
  // RUNNING counts once the task is healthy where its task definition gives an
  // essential container a health check, and once every target group of the
  // service's load balancers says its target is healthy; until then it is
  // still pending, so `aws ecs wait services-stable` succeeds only when the
  // rollout is done.
  const lbCount = (r: ServiceRow) =>
    (r.load_balancers as unknown as { targetGroupArn?: string }[]).filter(
      (lb) => lb.targetGroupArn !== undefined,
    ).length;
  const balanced = rows.filter((r) => lbCount(r) > 0);
  // Without load balancers the target check always holds (a count is ≥ 0): no per-task subquery.
  const targetsHealthy =
    balanced.length === 0
      ? sql<boolean>`true`
      : sql<boolean>`(SELECT count(*) FROM targets x WHERE x.task_arn = t.task_arn AND x.state = 'healthy') >= CASE ${sql.join(
          balanced.map(
            (r) =>
              sql`WHEN t.cluster_name = ${r.cluster_name} AND t.task_group = ${`service:${r.service_name}`} THEN ${lbCount(r)}`,
          ),
          sql` `,
        )} ELSE 0 END`;
  // Tasks are grouped first, so the health-check test of the task definition (a jsonb
  // containment) runs once per group, not once per task.
  const found = await db
    .with("g", (qb) =>
      qb
        .selectFrom("tasks as t")
        .select(["t.cluster_name", "t.task_group", "t.started_by", "t.task_definition_arn"])
        .select(sql<boolean>`t.last_status = 'RUNNING'`.as("running"))
        .select(sql<boolean | null>`t.health_status = 'HEALTHY'`.as("healthy"))
        .select(targetsHealthy.as("targets_healthy"))
        .select((eb) => eb.fn.countAll<number | string>().as("n"))
        .where("t.cluster_name", "in", clusters)
        .where("t.task_group", "in", groups)
        .where("t.desired_status", "=", "RUNNING")
        .where("t.last_status", "in", ["RUNNING", ...PENDING_STATES])
        // By position: the CASE carries parameters, which Postgres would not match by text.
        .groupBy([sql`1`, sql`2`, sql`3`, sql`4`, sql`5`, sql`6`, sql`7`]),
    )
    .selectFrom("g")
    .leftJoin("task_definitions as d", "d.task_definition_arn", "g.task_definition_arn")
    .select(["g.cluster_name", "g.task_group", "g.started_by"])
    .select(
      sql<string>`CASE WHEN g.running AND (g.healthy
    OR NOT coalesce(d.definition -> 'containerDefinitions' @> '[{"essential": true, "healthCheck": {}}]'::jsonb, false))
    AND g.targets_healthy THEN 'RUNNING' ELSE 'PENDING' END`.as("last_status"),
    )
    .select(sql<number | string>`sum(g.n)`.as("n"))
    .groupBy([sql`1`, sql`2`, sql`3`, sql`4`])
    .execute();
  for (const t of found) {
    const row = byGroup.get(`${t.cluster_name}/${t.task_group}`);
    if (!row) continue;
    const entry = counts.get(row.service_arn) ?? {
      service: { running: 0, pending: 0 },
      byDeployment: new Map<string, TaskCounts>(),
    };
    const n = Number(t.n);
    const add = (c: TaskCounts): TaskCounts =>
      t.last_status === "RUNNING"
        ? { running: c.running + n, pending: c.pending }
        : { running: c.running, pending: c.pending + n };
    entry.service = add(entry.service);
    if (t.started_by !== null) {
      entry.byDeployment.set(
        t.started_by,
        add(entry.byDeployment.get(t.started_by) ?? { running: 0, pending: 0 }),
      );
    }
    counts.set(row.service_arn, entry);
  }
  return counts;
};

/** The newest event messages of each service (up to 100), newest first. */
export const serviceEventsOf = async (
  db: Kysely<Database>,
  serviceArns: readonly string[],
): Promise<Map<string, ServiceEventMessage[]>> => {
  const byArn = new Map<string, ServiceEventMessage[]>(serviceArns.map((arn) => [arn, []]));
  if (serviceArns.length === 0) return byArn;
  const rows = await db
    .selectFrom("service_events")
    .select(["service_arn", "id", "created_at", "message"])
    .where("service_arn", "in", serviceArns)
    .orderBy("service_arn")
    .orderBy("position", "desc")
    .orderBy("seq", "desc")
    .execute();
  for (const r of rows) {
    const list = byArn.get(r.service_arn);
    if (list && list.length < MAX_EVENTS) {
      list.push({ id: r.id, createdAt: r.created_at, message: r.message });
    }
  }
  return byArn;
};

/** ECS's `Deployment` shape, with its live counts. */
const formatDeployment = (d: StoredDeployment, counts: TaskCounts): Record<string, unknown> => ({
  id: d.id,
  status: d.status,
  taskDefinition: d.taskDefinition,
  desiredCount: d.desiredCount,
  pendingCount: counts.pending,
  runningCount: counts.running,
  failedTasks: d.failedTasks,
  createdAt: d.createdAt,
  updatedAt: d.updatedAt,
  // ECS shows one or the other: the launch type, or the capacity provider strategy.
  ...(d.capacityProviderStrategy !== undefined && d.capacityProviderStrategy.length > 0
    ? { capacityProviderStrategy: d.capacityProviderStrategy }
    : { launchType: d.launchType ?? "EC2" }),
  rolloutState: d.rolloutState,
  rolloutStateReason: d.rolloutStateReason,
});

/** ECS's `Service` shape (no roleArn); `tags` only when given. */
export const formatService = (
  arnCtx: ArnContext,
  row: ServiceRow,
  counts: ServiceTaskCounts,
  events: readonly ServiceEventMessage[],
  tags?: readonly { key: string; value: string }[],
): Record<string, unknown> => ({
  serviceArn: row.service_arn,
  serviceName: row.service_name,
  clusterArn: clusterArn(arnCtx, row.cluster_name),
  loadBalancers: row.load_balancers,
  serviceRegistries: [],
  status: row.status,
  desiredCount: row.desired_count,
  runningCount: counts.service.running,
  pendingCount: counts.service.pending,
  ...(row.launch_type === null ? {} : { launchType: row.launch_type }),
  ...(row.capacity_provider_strategy.length > 0
    ? { capacityProviderStrategy: row.capacity_provider_strategy }
    : {}),
  taskDefinition: row.task_definition_arn,
  deploymentConfiguration: row.deployment_configuration,
  deployments: row.deployments.map((d) =>
    formatDeployment(d, counts.byDeployment.get(d.id) ?? { running: 0, pending: 0 }),
  ),
  events: events.map((e) => ({
    id: e.id,
    createdAt: epochSeconds(e.createdAt),
    message: e.message,
  })),
  createdAt: epochSeconds(row.created_at),
  placementConstraints: row.placement_constraints,
  placementStrategy: row.placement_strategy,
  ...(row.health_check_grace_period_seconds === null
    ? {}
    : { healthCheckGracePeriodSeconds: row.health_check_grace_period_seconds }),
  schedulingStrategy: row.scheduling_strategy,
  deploymentController: { type: "ECS" },
  createdBy: row.created_by,
  enableECSManagedTags: row.enable_ecs_managed_tags,
  propagateTags: row.propagate_tags ?? "NONE",
  enableExecuteCommand: false,
  ...(tags === undefined ? {} : { tags }),
});

/** Formats rows in the order given: counts, events and (when asked) tags in one query each. */
export const describeServices = async (
  db: Kysely<Database>,
  arnCtx: ArnContext,
  rows: readonly ServiceRow[],
  options: { readonly tags: boolean },
): Promise<Record<string, unknown>[]> => {
  const arns = rows.map((r) => r.service_arn);
  const [counts, events, tags] = await Promise.all([
    countServiceTasks(db, rows),
    serviceEventsOf(db, arns),
    options.tags ? tagsOfMany(db, arns) : Promise.resolve(undefined),
  ]);
  return rows.map((row) =>
    formatService(
      arnCtx,
      row,
      counts.get(row.service_arn) ?? NO_TASKS,
      events.get(row.service_arn) ?? [],
      tags?.get(row.service_arn),
    ),
  );
};
