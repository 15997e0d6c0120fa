import { randomUUID } from "node:crypto";
import type { Msg, NatsConnection, Subscription } from "@nats-io/nats-core";
import type { z } from "zod";
import {
  Heartbeat,
  ManifestRequest,
  RegisterRequest,
  TaskStateReportBatch,
  TaskStateReportMessage,
} from "../../../shared/agent/protocol.js";
import { agentIdOfSubject, agentSubject, InFlight } from "../../../shared/bus/index.js";
import { isEcsError } from "../../../shared/domain/errors.js";
import type { EventMetadata } from "../../../shared/eventstore/index.js";
import type { SchedulerContext } from "../context.js";
import { registerContainerInstance } from "../containerInstances/registration.js";
import { reportTaskState } from "../tasks/reportTaskStateHandler.js";
import { reportTaskStates, type Refusal } from "../tasks/reportTaskStates.js";
import type { HeartbeatMonitor } from "./heartbeatMonitor.js";
import { InstanceOwnership } from "./instanceOwnership.js";
import { manifestFor } from "./manifest.js";

/**
 * The scheduler's side of the agent protocol (shared/agent/protocol.ts):
 * registration, manifests and state reports in the queue group `scheduler`;
 * heartbeats to every replica.
 */
export const serveAgents = (
  nc: NatsConnection,
  prefix: string,
  ctx: SchedulerContext,
  monitor: HeartbeatMonitor,
): Subscription[] => {
  const ownership = new InstanceOwnership(ctx);
  const inFlight = new InFlight();
  /** The instance a task was placed on: an agent may report only its own instances' tasks. */
  const instanceOfTask = async (taskArn: string): Promise<string | undefined> =>
    (
      await ctx.db
        .selectFrom("tasks")
        .select("container_instance_arn")
        .where("task_arn", "=", taskArn)
        .executeTakeFirst()
    )?.container_instance_arn ?? undefined;
  /** The instances of these tasks, in one read; a task not yet in the read model is absent. */
  const instancesOfTasks = async (taskArns: readonly string[]): Promise<Map<string, string>> => {
    const rows = await ctx.db
      .selectFrom("tasks")
      .select(["task_arn", "container_instance_arn"])
      .where("task_arn", "in", [...new Set(taskArns)])
      .execute();
    return new Map(
      rows.flatMap((r) =>
        r.container_instance_arn === null ? [] : [[r.task_arn, r.container_instance_arn]],
      ),
    );
  };
  /** The reports of a batch that name another agent's task, refused by index. */
  const foreignReports = async (
    agentId: string,
    body: TaskStateReportBatch,
  ): Promise<Refusal[]> => {
    const instanceOf = await instancesOfTasks(body.reports.map((r) => r.taskArn));
    const refused: Refusal[] = [];
    for (const [index, r] of body.reports.entries()) {
      const instanceArn = instanceOf.get(r.taskArn);
      if (instanceArn === undefined) continue;
      try {
        await ownership.assert(agentId, instanceArn);
      } catch (e) {
        if (!isEcsError(e)) throw e;
        refused.push({ index, ...e.toJSON() });
      }
    }
    return refused;
  };
  const metadataFor = (agentId: string): EventMetadata => ({
    actor: `agent/${agentId}`,
    correlationId: randomUUID(),
  });
  const reply = (msg: Msg, body: unknown) => {
    if (msg.reply) msg.respond(JSON.stringify(body));
  };
  const handle =
    <S extends z.ZodType>(schema: S, fn: (body: z.infer<S>, agentId: string) => Promise<unknown>) =>
    (err: Error | null, msg: Msg) => {
      if (err) return;
      const agentId = agentIdOfSubject(msg.subject);
      // Tracked: draining the subscription (shutdown) waits until the request has replied.
      inFlight.track(
        (async () => {
          try {
            const result = await fn(schema.parse(msg.json()), agentId);
            reply(msg, { ok: true, result });
          } catch (e) {
            const error = isEcsError(e)
              ? e.toJSON()
              : { type: "ServerException", message: String(e), retryable: true };
            if (!isEcsError(e)) ctx.log.error({ err: e, agentId }, "agent request failed");
            reply(msg, { ok: false, error });
          }
        })(),
      );
    };

  const sub = (kind: string, queue: boolean, cb: (err: Error | null, msg: Msg) => void) =>
    inFlight.drainsWith(
      nc.subscribe(agentSubject(prefix, "*", kind), {
        ...(queue ? { queue: "scheduler" } : {}),
        callback: cb,
      }),
    );

  return [
    sub(
      "register",
      true,
      handle(RegisterRequest, async (body, agentId) =>
        registerContainerInstance(
          ctx,
          {
            ...(body.cluster === undefined ? {} : { cluster: body.cluster }),
            ec2InstanceId: agentId,
            ...(body.availabilityZone === undefined
              ? {}
              : { availabilityZone: body.availabilityZone }),
            ...(body.instanceType === undefined ? {} : { instanceType: body.instanceType }),
            totalResources: body.totalResources,
            attributes: body.attributes,
            versionInfo: body.versionInfo,
          },
          metadataFor(agentId),
        ),
      ),
    ),
    sub(
      "manifest",
      true,
      handle(ManifestRequest, async (body, agentId) => {
        await ownership.assert(agentId, body.containerInstanceArn);
        return manifestFor(ctx, body.containerInstanceArn);
      }),
    ),
    sub(
      "state",
      true,
      handle(TaskStateReportMessage, async (body, agentId) => {
        const instanceArn = await instanceOfTask(body.taskArn);
        if (instanceArn !== undefined) await ownership.assert(agentId, instanceArn);
        return reportTaskState(ctx, body, metadataFor(agentId));
      }),
    ),
    sub(
      "states",
      true,
      handle(TaskStateReportBatch, async (body, agentId) =>
        reportTaskStates(
          ctx,
          body.reports,
          metadataFor(agentId),
          await foreignReports(agentId, body),
        ),
      ),
    ),
    sub("heartbeat", false, (err, msg) => {
      if (err) return;
      const parsed = Heartbeat.safeParse(msg.json());
      if (!parsed.success) return;
      const { containerInstanceArn } = parsed.data;
      const agentId = agentIdOfSubject(msg.subject);
      void ownership.mayUse(agentId, containerInstanceArn).then(
        (mine) => {
          if (mine) monitor.heartbeat(containerInstanceArn);
          else
            ctx.log.warn(
              { agentId, containerInstanceArn },
              "heartbeat for another agent's instance ignored",
            );
        },
        (e: unknown) => ctx.log.warn({ err: e, agentId }, "heartbeat ownership check failed"),
      );
    }),
  ];
};
