import { z } from "zod";
import {
  positionAtTime,
  resourceSelector,
  scalableTargetStreams,
  withProjectionsAt,
} from "../../../../shared/audit/index.js";
import { parseArn } from "../../../../shared/domain/arn.js";
import { EcsError } from "../../../../shared/domain/errors.js";
import { upcastEvent } from "../../../../shared/events/index.js";
import { ALL_PROJECTIONS } from "../../../../shared/projections/index.js";
import { describeScalableTargets } from "../../applicationAutoScaling/actions/describeScalableTargets.js";
import { describeAlarms } from "../../cloudwatch/actions/describeAlarms.js";
import { timestamp } from "../../cloudwatch/input.js";
import { describeClusters } from "../../ecs/actions/describeClusters.js";
import { describeContainerInstances } from "../../ecs/actions/describeContainerInstances.js";
import { describeServices } from "../../ecs/actions/describeServices.js";
import { describeTaskDefinition } from "../../ecs/actions/describeTaskDefinition.js";
import { describeTasks } from "../../ecs/actions/describeTasks.js";
import { CLUSTER_INCLUDE } from "../../ecs/read/clusterQueries.js";
import { CONTAINER_INSTANCE_INCLUDE } from "../../ecs/read/containerInstanceQueries.js";
import { epochSeconds } from "../../ecs/read/time.js";
import { defineAction, type ActionContext } from "../../protocol/action.js";

export const DescribeResourceAtInput = z
  .object({
    resourceArn: z.string().min(1),
    at: timestamp.optional(),
    position: z.number().int().nonnegative().optional(),
  })
  .refine((i) => (i.at === undefined) !== (i.position === undefined), {
    message: "give exactly one of at and position",
    path: ["at"],
  });

const notFound = (arn: string, position: number): EcsError =>
  new EcsError(
    "ResourceNotFoundException",
    `resourceArn: ${arn} did not exist at log position ${position}.`,
  );

const ALARM_ARN = /^arn:[a-z-]+:cloudwatch:[a-z0-9-]*:\d{12}:alarm:(.+)$/;

/**
 * Runs the api's own Describe* action for the resource against the read
 * models folded up to the position, so the output is that action's, field
 * for field. Answers the key the Describe action uses for one resource.
 */
const describeOne = async (
  arn: string,
  streamIds: readonly string[],
  ctx: ActionContext,
  position: number,
): Promise<Record<string, unknown>> => {
  const first = streamIds[0];
  if (first?.startsWith("scalabletarget:")) {
    const out = (await describeScalableTargets.handle(
      { ServiceNamespace: "ecs", ResourceIds: [first.slice("scalabletarget:ecs/".length)] },
      ctx,
    )) as { ScalableTargets: unknown[] };
    const target = out.ScalableTargets[0];
    if (!target) throw notFound(arn, position);
    return { scalableTarget: target };
  }
  const alarm = ALARM_ARN.exec(arn);
  if (alarm) {
    const out = (await describeAlarms.handle({ AlarmNames: [alarm[1]!] }, ctx)) as {
      MetricAlarms: unknown[];
    };
    if (out.MetricAlarms.length === 0) throw notFound(arn, position);
    return { metricAlarm: out.MetricAlarms[0] };
  }
  const parsed = parseArn(arn)!;
  const cluster = parsed.resourceId.split("/")[0];
  const only = <T>(items: readonly T[], failures: readonly unknown[]): T => {
    if (items.length === 0 || failures.length > 0) throw notFound(arn, position);
    return items[0]!;
  };
  try {
    switch (parsed.resourceType) {
      case "cluster": {
        const out = (await describeClusters.handle(
          { clusters: [arn], include: [...CLUSTER_INCLUDE] },
          ctx,
        )) as { clusters: unknown[]; failures: unknown[] };
        return { cluster: only(out.clusters, out.failures) };
      }
      case "service": {
        const out = (await describeServices.handle(
          { cluster, services: [arn], include: ["TAGS"] },
          ctx,
        )) as { services: unknown[]; failures: unknown[] };
        return { service: only(out.services, out.failures) };
      }
      case "task": {
        const out = (await describeTasks.handle(
          { cluster, tasks: [arn], include: ["TAGS"] },
          ctx,
        )) as { tasks: unknown[]; failures: unknown[] };
        return { task: only(out.tasks, out.failures) };
      }
      case "container-instance": {
        const out = (await describeContainerInstances.handle(
          { cluster, containerInstances: [arn], include: [...CONTAINER_INSTANCE_INCLUDE] },
          ctx,
        )) as { containerInstances: unknown[]; failures: unknown[] };
        return { containerInstance: only(out.containerInstances, out.failures) };
      }
      case "task-definition":
        return (await describeTaskDefinition.handle(
          { taskDefinition: arn, include: ["TAGS"] },
          ctx,
        )) as Record<string, unknown>;
      default:
        throw notFound(arn, position);
    }
  } catch (err) {
    // The resource (or its cluster) did not exist yet: the Describe action's own "not found".
    if (
      err instanceof EcsError &&
      (err.type === "ClusterNotFoundException" ||
        err.type === "ClientException" ||
        err.type === "ServiceNotFoundException")
    ) {
      throw notFound(arn, position);
    }
    throw err;
  }
};

/**
 * `FlotillaV1.DescribeResourceAt` (docs/audit.md): a resource as it was at a
 * time or log position, in the shape of its Describe action's output.
 */
export const describeResourceAt = defineAction({
  name: "DescribeResourceAt",
  input: DescribeResourceAtInput,
  async handle(input, ctx) {
    const selector = resourceSelector(input.resourceArn);
    if (!selector) {
      throw new EcsError(
        "InvalidParameterException",
        `resourceArn: ${input.resourceArn} is not the ARN of a cluster, service, task, task definition revision, container instance, scalable target or alarm.`,
      );
    }
    if (selector.kind === "streams" && selector.streamIds[0]?.startsWith("taskdef:")) {
      if (selector.revision === undefined) {
        throw new EcsError(
          "InvalidParameterException",
          "resourceArn: name a task definition revision (family:revision).",
        );
      }
    }
    const streamIds =
      selector.kind === "streams"
        ? selector.streamIds
        : await scalableTargetStreams(ctx.db, selector.arn);
    const position = input.at ? await positionAtTime(ctx.db, input.at) : input.position!;
    const described = await withProjectionsAt(
      ctx.db,
      { position, projections: ALL_PROJECTIONS, upcast: upcastEvent },
      (trx) => describeOne(input.resourceArn, streamIds, { ...ctx, db: trx }, position),
    );
    return {
      position,
      ...(input.at ? { at: epochSeconds(input.at) } : {}),
      ...described,
    };
  },
});
