import { randomBytes } from "node:crypto";
import { sql } from "kysely";
import { clusterArn, clusterNameFrom, containerArn, taskArn } from "../../../shared/domain/arn.js";
import { EcsError, clusterNotFound } from "../../../shared/domain/errors.js";
import { containerInstanceStream, taskStream } from "../../../shared/domain/streams.js";
import { validateTags } from "../../../shared/domain/tags/tag.js";
import { TaskDefinition } from "../../../shared/domain/taskDefinition/index.js";
import { parseTaskDefinitionRef } from "../../../shared/domain/taskDefinitionRef.js";
import { taskRequirements } from "../../../shared/domain/taskRequirements.js";
import type { Capacity } from "../../../shared/domain/resources.js";
import { isConcurrencyError, type EventMetadata } from "../../../shared/eventstore/index.js";
import {
  newEvent,
  toDomainEvent,
  type TaskCreated,
  type TaskOverride,
} from "../../../shared/events/index.js";
import type { Tag } from "../../../shared/domain/tags/tag.js";
import type { SchedulerContext } from "../context.js";
import { fold } from "../decider.js";
import { instanceAggregate } from "../containerInstances/instanceState.js";
import { cannotPlace, decidePlaceTask } from "./placeTask.js";

export interface LaunchRequest {
  readonly cluster?: string | undefined;
  readonly taskDefinition: string;
  readonly startedBy?: string | undefined;
  readonly group?: string | undefined;
  readonly overrides?: TaskOverride | undefined;
  readonly tags?: readonly Tag[] | undefined;
}

export interface LaunchResult {
  readonly taskArns: string[];
  readonly failures: { arn?: string; reason: string; detail?: string }[];
}

/** ECS's RunTask failure reasons for an instance that cannot take the task. */
const failureReason = (why: string): string =>
  why.includes("memory")
    ? "RESOURCE:MEMORY"
    : why.includes("CPU")
      ? "RESOURCE:CPU"
      : why.includes("port")
        ? "RESOURCE:PORTS"
        : why.includes("agent")
          ? "AGENT"
          : "INACTIVE";

const MAX_ATTEMPTS = 5;

/** The ACTIVE task definition the request names, as stored. */
const loadTaskDefinition = async (ctx: SchedulerContext, ref: string) => {
  const key = parseTaskDefinitionRef(ref);
  let q = ctx.db
    .selectFrom("task_definitions")
    .select(["definition", "status"])
    .where("family", "=", key.family);
  q =
    key.revision === undefined
      ? q.where("status", "=", "ACTIVE").orderBy("revision", "desc").limit(1)
      : q.where("revision", "=", key.revision);
  const row = await q.executeTakeFirst();
  if (!row) {
    throw new EcsError("ClientException", "TaskDefinition not found.");
  }
  if (row.status !== "ACTIVE") {
    throw new EcsError("ClientException", "TaskDefinition is inactive.");
  }
  return TaskDefinition.parse(row.definition);
};

const ensureClusterActive = async (ctx: SchedulerContext, clusterName: string) => {
  const row = await ctx.db
    .selectFrom("clusters")
    .select("status")
    .where("cluster_name", "=", clusterName)
    .executeTakeFirst();
  if (row?.status !== "ACTIVE") throw clusterNotFound();
};

/**
 * Places and creates tasks. Each placement is decided on the instance's own
 * stream (its registered resources minus the reservations of its tasks) and
 * appended together with the new task's stream in one transaction, at the
 * instance version read: two launches can never overcommit an instance.
 */
export const launchTasks = async (
  ctx: SchedulerContext,
  req: LaunchRequest,
  placement: { count: number } | { instances: readonly string[] },
  metadata: EventMetadata,
): Promise<LaunchResult> => {
  const clusterName = clusterNameFrom(req.cluster ?? "default");
  await ensureClusterActive(ctx, clusterName);
  const td = await loadTaskDefinition(ctx, req.taskDefinition);
  const tags = (req.tags ?? []).map((t) => ({ key: t.key, value: t.value ?? "" }));
  validateTags(tags);
  const overrides = req.overrides ?? {};
  for (const o of overrides.containerOverrides ?? []) {
    if (o.name !== undefined && !td.containerDefinitions.some((c) => c.name === o.name)) {
      throw new EcsError(
        "InvalidParameterException",
        `overrides.containerOverrides: no container named '${o.name}' in ${td.family}:${td.revision}.`,
      );
    }
  }
  const need = taskRequirements(td, overrides);
  const result: LaunchResult = { taskArns: [], failures: [] };

  const slots: (string | undefined)[] =
    "count" in placement
      ? Array.from({ length: placement.count }, () => undefined)
      : [...placement.instances];

  for (const wanted of slots) {
    const placed = await placeOne(
      ctx,
      clusterName,
      need,
      wanted,
      (instanceArn, az) => {
        const taskId = randomBytes(16).toString("hex");
        const arn = taskArn(ctx.arn, clusterName, taskId);
        const created: TaskCreated = {
          clusterName,
          taskArn: arn,
          taskDefinitionArn: td.taskDefinitionArn,
          containerInstanceArn: instanceArn,
          ...(az === undefined ? {} : { availabilityZone: az }),
          launchType: "EC2",
          group: req.group ?? `family:${td.family}`,
          ...(req.startedBy === undefined ? {} : { startedBy: req.startedBy }),
          overrides: { containerOverrides: overrides.containerOverrides ?? [], ...overrides },
          tags,
          cpu: String(need.cpu),
          memory: String(need.memory),
          containers: td.containerDefinitions.map((c) => {
            const o = overrides.containerOverrides?.find((x) => x.name === c.name);
            const memory = o?.memory ?? c.memory;
            const reservation = o?.memoryReservation ?? c.memoryReservation;
            return {
              containerArn: containerArn(
                ctx.arn,
                clusterName,
                taskId,
                randomBytes(16).toString("hex"),
              ),
              name: c.name,
              image: c.image,
              essential: c.essential,
              cpu: String(o?.cpu ?? c.cpu),
              ...(memory === undefined ? {} : { memory: String(memory) }),
              ...(reservation === undefined ? {} : { memoryReservation: String(reservation) }),
            };
          }),
          createdAt: ctx.clock().getTime() / 1000,
        };
        return { taskId, created };
      },
      metadata,
    );
    if ("taskArn" in placed) result.taskArns.push(placed.taskArn);
    else result.failures.push(placed.failure);
  }
  return result;
};

type Build = (
  instanceArn: string,
  availabilityZone: string | undefined,
) => { taskId: string; created: TaskCreated };

/** Candidates: ACTIVE, connected instances of the cluster, least reserved memory first (ties at random). */
const candidates = async (ctx: SchedulerContext, clusterName: string) =>
  ctx.db
    .selectFrom("container_instances as ci")
    .select(["ci.container_instance_arn as arn", "ci.ec2_instance_id as agentId"])
    .where("ci.cluster_name", "=", clusterName)
    .where("ci.status", "=", "ACTIVE")
    .where("ci.agent_connected", "=", true)
    .orderBy(
      sql`(SELECT coalesce(sum(r.memory), 0) FROM task_reservations r WHERE r.container_instance_arn = ci.container_instance_arn)`,
    )
    .orderBy(sql`random()`)
    .execute();

const placeOne = async (
  ctx: SchedulerContext,
  clusterName: string,
  need: Capacity,
  wanted: string | undefined,
  build: Build,
  metadata: EventMetadata,
): Promise<
  { taskArn: string } | { failure: { arn?: string; reason: string; detail?: string } }
> => {
  const pool =
    wanted === undefined
      ? (await candidates(ctx, clusterName)).map((c) => c.arn)
      : [
          wanted.startsWith("arn:")
            ? wanted
            : `arn:aws:ecs:${ctx.arn.region}:${ctx.arn.accountId}:container-instance/${clusterName}/${wanted}`,
        ];
  if (pool.length === 0) {
    return {
      failure: {
        reason: "No Container Instances were found in your cluster.",
        arn: clusterArn(ctx.arn, clusterName),
      },
    };
  }
  let lastWhy = "";
  let lastArn = "";
  for (const instanceArnCandidate of pool) {
    const id = instanceArnCandidate.slice(instanceArnCandidate.lastIndexOf("/") + 1);
    const stream = containerInstanceStream(clusterName, id);
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      const { version, events } = await ctx.store.readStream(stream);
      const instance = fold(instanceAggregate, events.map(toDomainEvent));
      const why = instance.status === "NONE" ? "was not found" : cannotPlace(need, instance);
      if (why) {
        lastWhy = why;
        lastArn = instanceArnCandidate;
        break;
      }
      const { taskId, created } = build(instance.containerInstanceArn!, instance.availabilityZone);
      const placedEvents = decidePlaceTask(created.taskArn, need, instance);
      try {
        await ctx.store.appendMany(
          [
            {
              streamId: stream,
              events: placedEvents.map((e) => newEvent(e.type, e.data)),
              expectedVersion: version,
            },
            {
              streamId: taskStream(clusterName, taskId),
              events: [newEvent("TaskCreated", created)],
              expectedVersion: "noStream",
            },
          ],
          metadata,
        );
        if (instance.ec2InstanceId)
          ctx.notifyAgent?.(instance.ec2InstanceId, "task created", created.taskArn);
        return { taskArn: created.taskArn };
      } catch (err) {
        if (!isConcurrencyError(err) || attempt === MAX_ATTEMPTS) throw err;
      }
    }
  }
  return {
    failure: {
      arn: lastArn,
      reason: lastWhy === "was not found" ? "MISSING" : failureReason(lastWhy),
      ...(lastWhy
        ? { detail: `The closest matching container-instance ${lastArn} ${lastWhy}.` }
        : {}),
    },
  };
};
