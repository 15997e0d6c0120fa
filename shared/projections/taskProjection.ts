import { sql } from "kysely";
import type { InlineProjection, RecordedEvent } from "../eventstore/index.js";
import type { TaskCreated, TaskStateChanged, TaskStopRequested } from "../events/index.js";
import { insertRows } from "./insertRows.js";
import { upsertTags, upsertTagsOfMany } from "./tagRows.js";

const at = (epochSeconds: number | undefined): Date | null =>
  epochSeconds === undefined ? null : new Date(Math.round(epochSeconds * 1000));

export interface ContainerRow {
  containerArn: string;
  name: string;
  image: string;
  essential: boolean;
  cpu: string;
  memory?: string;
  memoryReservation?: string;
  lastStatus: string;
  exitCode?: number;
  reason?: string;
  networkBindings: unknown[];
  healthStatus: string;
  runtimeId?: string;
}

/**
 * What a state report changes in each of its task's containers, by container
 * name (the first report of a name counts): its status, and its exit code,
 * reason, runtime id, bindings and health when the report has them. A
 * container the report does not name stays as it was.
 */
export const containerPatches = (d: TaskStateChanged): Record<string, Partial<ContainerRow>> => {
  // No prototype: a container may be named __proto__.
  const patches = Object.create(null) as Record<string, Partial<ContainerRow>>;
  for (const r of d.containers) {
    if (Object.hasOwn(patches, r.name)) continue;
    patches[r.name] = {
      lastStatus: r.lastStatus,
      ...(r.exitCode === undefined ? {} : { exitCode: r.exitCode }),
      ...(r.reason === undefined ? {} : { reason: r.reason }),
      ...(r.runtimeId === undefined ? {} : { runtimeId: r.runtimeId }),
      ...(r.networkBindings == null ? {} : { networkBindings: r.networkBindings }),
      ...(r.healthStatus == null ? {} : { healthStatus: r.healthStatus }),
    };
  }
  return patches;
};

/** A new task's containers: as its task definition gives them, PENDING. */
export const pendingContainers = (d: TaskCreated): ContainerRow[] =>
  d.containers.map((c) => ({
    ...c,
    lastStatus: "PENDING",
    networkBindings: [],
    healthStatus: "UNKNOWN",
  }));

/**
 * A new task's row: PROVISIONING, desired RUNNING, with `containers` as the caller
 * keeps them (JSON text here, parsed in the rebuild's fold).
 */
export const taskCreatedRow = <C>(d: TaskCreated, event: RecordedEvent, containers: C) => {
  return {
    task_arn: d.taskArn,
    cluster_name: d.clusterName,
    task_definition_arn: d.taskDefinitionArn,
    family: d.taskDefinitionArn.slice(
      d.taskDefinitionArn.lastIndexOf("/") + 1,
      d.taskDefinitionArn.lastIndexOf(":"),
    ),
    container_instance_arn: d.containerInstanceArn,
    availability_zone: d.availabilityZone ?? null,
    launch_type: d.launchType,
    capacity_provider_name: d.capacityProviderName ?? null,
    task_group: d.group,
    started_by: d.startedBy ?? null,
    overrides: JSON.stringify(d.overrides),
    cpu: d.cpu,
    memory: d.memory,
    containers,
    last_status: "PROVISIONING",
    desired_status: "RUNNING",
    health_status: "UNKNOWN",
    created_at: at(d.createdAt)!,
    version: event.streamVersion,
    last_position: event.position,
  };
};

/**
 * A run cut where a task comes again, so that an UPDATE … FROM changes each row at
 * most once (Postgres would apply only one of two matches).
 */
const stretchesOfDistinctTasks = (run: readonly RecordedEvent[]): RecordedEvent[][] => {
  const stretches: RecordedEvent[][] = [[]];
  let seen = new Set<string>();
  for (const e of run) {
    const taskArn = (e.data as TaskStateChanged).taskArn;
    if (seen.has(taskArn)) {
      stretches.push([]);
      seen = new Set();
    }
    seen.add(taskArn);
    stretches.at(-1)!.push(e);
  }
  return stretches;
};

/** tasks: one row per task, its containers as JSON in the ECS shape. */
export const taskProjection: InlineProjection = {
  name: "tasks",
  tables: ["tasks"],
  handles: ["TaskCreated", "TaskStopRequested", "TaskStateChanged"],
  applyRun: {
    // A service step's new tasks: their rows in one statement, their tags in another.
    async TaskCreated(db, run) {
      const created = run.map((e) => ({ d: e.data as TaskCreated, event: e }));
      await insertRows(
        db,
        "tasks",
        created.map(({ d, event }) =>
          taskCreatedRow(d, event, JSON.stringify(pendingContainers(d))),
        ),
        { jsonColumns: ["overrides", "containers"] },
      );
      await upsertTagsOfMany(
        db,
        created.map(({ d }) => ({ resourceArn: d.taskArn, tags: d.tags })),
      );
    },
    // A batch of agent reports: one UPDATE per stretch in which no task repeats, each
    // row changed as the single-event UPDATE below changes it.
    async TaskStateChanged(db, run) {
      for (const stretch of stretchesOfDistinctTasks(run)) {
        const reports = stretch.map((e) => {
          const d = e.data as TaskStateChanged;
          return {
            task_arn: d.taskArn,
            last_status: d.lastStatus,
            health_status: d.healthStatus ?? "UNKNOWN",
            patch: containerPatches(d),
            attachments: d.attachments ?? null,
            stop_code: d.stopCode ?? null,
            stopped_reason: d.stoppedReason ?? null,
            pull_started_at: at(d.pullStartedAt),
            pull_stopped_at: at(d.pullStoppedAt),
            started_at: at(d.startedAt),
            stopping_at: at(d.stoppingAt),
            execution_stopped_at: at(d.executionStoppedAt),
            stopped_at: at(d.stoppedAt),
            version: e.streamVersion,
            last_position: e.position,
          };
        });
        await sql`
          UPDATE tasks SET
            last_status = x.last_status,
            desired_status = CASE WHEN x.last_status = 'STOPPED' THEN 'STOPPED' ELSE tasks.desired_status END,
            health_status = x.health_status,
            containers = (
              SELECT coalesce(jsonb_agg(
                       CASE WHEN x.patch ? (c->>'name') THEN c || (x.patch -> (c->>'name')) ELSE c END
                       ORDER BY o), '[]'::jsonb)
                FROM jsonb_array_elements(tasks.containers) WITH ORDINALITY AS e(c, o)),
            attachments = coalesce(x.attachments, tasks.attachments),
            stop_code = coalesce(tasks.stop_code, x.stop_code),
            stopped_reason = coalesce(tasks.stopped_reason, x.stopped_reason),
            pull_started_at = coalesce(x.pull_started_at, tasks.pull_started_at),
            pull_stopped_at = coalesce(x.pull_stopped_at, tasks.pull_stopped_at),
            started_at = coalesce(x.started_at, tasks.started_at),
            stopping_at = coalesce(x.stopping_at, tasks.stopping_at),
            execution_stopped_at = coalesce(x.execution_stopped_at, tasks.execution_stopped_at),
            stopped_at = coalesce(x.stopped_at, tasks.stopped_at),
            version = x.version,
            last_position = x.last_position
          FROM json_to_recordset(${JSON.stringify(reports)}::json) AS x(
            task_arn text, last_status text, health_status text, patch jsonb, attachments jsonb,
            stop_code text, stopped_reason text, pull_started_at timestamptz,
            pull_stopped_at timestamptz, started_at timestamptz, stopping_at timestamptz,
            execution_stopped_at timestamptz, stopped_at timestamptz, version bigint,
            last_position bigint)
          WHERE tasks.task_arn = x.task_arn`.execute(db);
      }
    },
  },
  async apply(db, event) {
    switch (event.type) {
      case "TaskCreated": {
        const d = event.data as TaskCreated;
        await db
          .insertInto("tasks")
          .values(taskCreatedRow(d, event, JSON.stringify(pendingContainers(d))))
          .execute();
        // A task ARN is never reused and its row was just inserted: no tags to replace.
        await upsertTags(db, d.taskArn, d.tags);
        return;
      }
      case "TaskStopRequested": {
        const d = event.data as TaskStopRequested;
        // The first stop code (with its reason) stands; later requests only repeat the desire.
        await db
          .updateTable("tasks")
          .set((eb) => ({
            desired_status: "STOPPED",
            stop_code: eb.fn.coalesce("stop_code", eb.val(d.stopCode)),
            stopped_reason: eb
              .case()
              .when("stop_code", "is", null)
              .then(d.stoppedReason)
              .else(eb.ref("stopped_reason"))
              .end(),
            version: event.streamVersion,
            last_position: event.position,
          }))
          .where("task_arn", "=", d.taskArn)
          .execute();
        return;
      }
      case "TaskStateChanged": {
        const d = event.data as TaskStateChanged;
        const stopped = d.lastStatus === "STOPPED";
        // One statement: the containers are merged with the report where they lie, as
        // containerPatches describes, and the first stop code and reason stand.
        await db
          .updateTable("tasks")
          .set((eb) => ({
            last_status: d.lastStatus,
            ...(stopped ? { desired_status: "STOPPED" } : {}),
            health_status: d.healthStatus ?? "UNKNOWN",
            containers: sql<string>`(
              SELECT coalesce(jsonb_agg(
                       CASE WHEN p.patch ? (c->>'name') THEN c || (p.patch -> (c->>'name')) ELSE c END
                       ORDER BY o), '[]'::jsonb)
                FROM jsonb_array_elements(tasks.containers) WITH ORDINALITY AS x(c, o),
                     (SELECT ${JSON.stringify(containerPatches(d))}::jsonb AS patch) p)`,
            ...(d.attachments === undefined ? {} : { attachments: JSON.stringify(d.attachments) }),
            stop_code: eb.fn.coalesce("stop_code", eb.val(d.stopCode ?? null)),
            stopped_reason: eb.fn.coalesce("stopped_reason", eb.val(d.stoppedReason ?? null)),
            ...(d.pullStartedAt === undefined ? {} : { pull_started_at: at(d.pullStartedAt) }),
            ...(d.pullStoppedAt === undefined ? {} : { pull_stopped_at: at(d.pullStoppedAt) }),
            ...(d.startedAt === undefined ? {} : { started_at: at(d.startedAt) }),
            ...(d.stoppingAt === undefined ? {} : { stopping_at: at(d.stoppingAt) }),
            ...(d.executionStoppedAt === undefined
              ? {}
              : { execution_stopped_at: at(d.executionStoppedAt) }),
            ...(d.stoppedAt === undefined ? {} : { stopped_at: at(d.stoppedAt) }),
            version: event.streamVersion,
            last_position: event.position,
          }))
          .where("task_arn", "=", d.taskArn)
          .execute();
        return;
      }
    }
  },
};
