import { sql } from "kysely";
import { serviceArn, taskArn } from "../../../shared/domain/arn.js";
import { poolClusterName } from "../../../shared/domain/capacityProviders/managedPools.js";
import { EcsError } from "../../../shared/domain/errors.js";
import { serviceStream } from "../../../shared/domain/streams.js";
import type { PayloadOf, ReplyOf } from "../../../shared/bus/index.js";
import type { InterruptSpotTasks } from "../../../shared/commands/scheduler/index.js";
import {
  isConcurrencyError,
  type EventMetadata,
  type StreamAppend,
} from "../../../shared/eventstore/index.js";
import { newEvent, toDomainEvent } from "../../../shared/events/index.js";
import { fold } from "../../../shared/aggregate/decider.js";
import type { ServiceHandlerDeps } from "../ecsServices/serviceHandlers.js";
import { serviceAggregate } from "../ecsServices/serviceState.js";
import { taskRef } from "../resolve.js";
import { taskAggregate } from "../tasks/taskState.js";
import { decideSpotInterruption } from "./decideSpotInterruption.js";
import { SPOT_INTERRUPTED, SPOT_STOP_CODE } from "./spotMessages.js";

const SPOT = "FARGATE_SPOT";
const MAX_ATTEMPTS = 5;

export type InterruptSpotTasksCommand = PayloadOf<typeof InterruptSpotTasks>;

interface SpotTaskRow {
  readonly task_arn: string;
  readonly cluster_name: string;
  readonly task_group: string;
  readonly capacity_provider_name: string | null;
  readonly ec2_instance_id: string | null;
}

const invalid = (message: string) => new EcsError("InvalidParameterException", message);

const taskRows = (ctx: ServiceHandlerDeps) =>
  ctx.db
    .selectFrom("tasks as t")
    .leftJoin("container_instances as ci", "ci.container_instance_arn", "t.container_instance_arn")
    .select([
      "t.task_arn",
      "t.cluster_name",
      "t.task_group",
      "t.capacity_provider_name",
      "ci.ec2_instance_id",
    ])
    .where("t.last_status", "!=", "STOPPED")
    .where("t.desired_status", "=", "RUNNING");

/**
 * The tasks a request names, all FARGATE_SPOT tasks not yet stopping:
 * by ARN (any other task named is refused, by name), on a FARGATE_SPOT pool
 * instance, or `count` of them, oldest first.
 */
export const selectSpotTasks = async (
  ctx: ServiceHandlerDeps,
  cmd: InterruptSpotTasksCommand,
): Promise<SpotTaskRow[]> => {
  const given = [cmd.tasks, cmd.containerInstance, cmd.count].filter((x) => x !== undefined);
  if (given.length !== 1) {
    throw invalid("Specify exactly one of tasks, containerInstance or count.");
  }
  if (cmd.tasks) {
    const arns = cmd.tasks.map((ref) => {
      const r = taskRef(ref, cmd.cluster);
      return taskArn(ctx.arn, r.clusterName, r.id);
    });
    const rows = await ctx.db
      .selectFrom("tasks as t")
      .leftJoin(
        "container_instances as ci",
        "ci.container_instance_arn",
        "t.container_instance_arn",
      )
      .select([
        "t.task_arn",
        "t.cluster_name",
        "t.task_group",
        "t.capacity_provider_name",
        "ci.ec2_instance_id",
        "t.last_status",
        "t.desired_status",
      ])
      .where("t.task_arn", "in", arns)
      .execute();
    const found = new Map(rows.map((r) => [r.task_arn, r]));
    const missing = arns.filter((a) => !found.has(a));
    if (missing.length > 0) throw invalid(`tasks: not found: ${missing.join(", ")}.`);
    const notSpot = rows.filter((r) => r.capacity_provider_name !== SPOT).map((r) => r.task_arn);
    if (notSpot.length > 0) {
      throw invalid(
        `tasks: only tasks placed through the ${SPOT} capacity provider can be interrupted; not ${notSpot.join(", ")}.`,
      );
    }
    return rows.filter((r) => r.last_status !== "STOPPED" && r.desired_status === "RUNNING");
  }
  if (cmd.containerInstance !== undefined) {
    const ref = cmd.containerInstance;
    const instance = await ctx.db
      .selectFrom("container_instances")
      .select(["container_instance_arn", "cluster_name"])
      .where((eb) =>
        eb.or([
          eb("container_instance_arn", "=", ref),
          eb("ec2_instance_id", "=", ref),
          eb(sql<string>`split_part(container_instance_arn, '/', 3)`, "=", ref),
        ]),
      )
      .executeTakeFirst();
    if (instance?.cluster_name !== poolClusterName(SPOT)) {
      throw invalid(`containerInstance: ${ref} is not an instance of the ${SPOT} capacity pool.`);
    }
    return taskRows(ctx)
      .where("t.container_instance_arn", "=", instance.container_instance_arn)
      .orderBy("t.created_at")
      .orderBy("t.task_arn")
      .execute();
  }
  let q = taskRows(ctx).where("t.capacity_provider_name", "=", SPOT);
  if (cmd.cluster !== undefined) q = q.where("t.cluster_name", "=", cmd.cluster);
  return q.orderBy("t.created_at").orderBy("t.task_arn").limit(cmd.count!).execute();
};

/**
 * FlotillaV1.InterruptSpotTasks: FARGATE_SPOT capacity is reclaimed. Each
 * task named gets TaskStopRequested (SpotInterruption, "Your Spot Task was
 * interrupted."), which is the warning ECS sends and the stop; each service
 * whose tasks they are records ServiceTasksStopped (reason spot-interruption),
 * whose messages are the warning "(service x) (task y) will be stopped:
 * Fargate Spot capacity is being reclaimed." — all in one transaction. The
 * service scheduler then starts replacements, restoring the strategy's split.
 */
export const interruptSpotTasks = async (
  ctx: ServiceHandlerDeps,
  cmd: InterruptSpotTasksCommand,
  metadata: EventMetadata,
): Promise<ReplyOf<typeof InterruptSpotTasks>> => {
  const rows = await selectSpotTasks(ctx, cmd);
  const dc = { now: ctx.clock(), arn: ctx.arn, actor: metadata.actor };
  const at = dc.now.getTime() / 1000;
  for (let attempt = 1; ; attempt++) {
    const appends: StreamAppend[] = [];
    const interrupted: { taskArn: string; serviceArn?: string }[] = [];
    const byService = new Map<string, { clusterName: string; name: string; taskArns: string[] }>();
    for (const row of rows) {
      const id = row.task_arn.slice(row.task_arn.lastIndexOf("/") + 1);
      const streamId = taskRef(id, row.cluster_name).streamId;
      const { version, events } = await ctx.store.readStream(streamId);
      const decided = decideSpotInterruption(fold(taskAggregate, events.map(toDomainEvent)), dc);
      if (decided.length === 0) continue;
      appends.push({
        streamId,
        events: decided.map((e) => newEvent(e.type, e.data)),
        expectedVersion: version,
      });
      const service = row.task_group.startsWith("service:")
        ? row.task_group.slice("service:".length)
        : undefined;
      if (service === undefined) {
        interrupted.push({ taskArn: row.task_arn });
        continue;
      }
      const key = `${row.cluster_name}/${service}`;
      const entry = byService.get(key) ?? {
        clusterName: row.cluster_name,
        name: service,
        taskArns: [],
      };
      entry.taskArns.push(row.task_arn);
      byService.set(key, entry);
      interrupted.push({
        taskArn: row.task_arn,
        serviceArn: serviceArn(ctx.arn, row.cluster_name, service),
      });
    }
    for (const s of byService.values()) {
      const streamId = serviceStream(s.clusterName, s.name);
      const { version, events } = await ctx.store.readStream(streamId);
      const state = fold(serviceAggregate, events.map(toDomainEvent));
      if (!state.created || state.status === "INACTIVE") continue;
      appends.push({
        streamId,
        events: [
          newEvent("ServiceTasksStopped", {
            clusterName: s.clusterName,
            serviceArn: state.created.serviceArn,
            reason: "spot-interruption",
            taskArns: s.taskArns,
            at,
          }),
        ],
        expectedVersion: version,
      });
    }
    try {
      if (appends.length > 0) await ctx.store.appendMany(appends, metadata);
    } catch (err) {
      if (!isConcurrencyError(err) || attempt >= MAX_ATTEMPTS) throw err;
      continue;
    }
    const agents = new Set(rows.flatMap((r) => (r.ec2_instance_id ? [r.ec2_instance_id] : [])));
    for (const agent of agents) ctx.notifyAgent?.(agent, "spot interruption");
    for (const s of byService.values()) ctx.touchCluster?.(s.clusterName);
    return {
      interruptedTasks: interrupted,
      stopCode: SPOT_STOP_CODE,
      stoppedReason: SPOT_INTERRUPTED,
    };
  }
};
