import { z } from "zod";
import { clusterNameFrom, taskDefinitionArn } from "../../../shared/domain/arn.js";
import { EcsError } from "../../../shared/domain/errors.js";
import { PlacementConstraint, PlacementStrategy } from "../../../shared/domain/placement.js";
import { clusterOfServiceArn, serviceNameIn } from "../../../shared/domain/serviceRef.js";
import { hostAccessAttributes } from "../../../shared/domain/taskDefinition/hostAccess.js";
import {
  buildTaskDefinition,
  TaskDefinition,
  validateTaskDefinition,
  type RegisterTaskDefinitionInput,
} from "../../../shared/domain/taskDefinition/index.js";
import { taskRequirements } from "../../../shared/domain/taskRequirements.js";
import type { SchedulerContext } from "../context.js";
import { DEFAULT_SERVICE_STRATEGIES, type PlacementRequest } from "../placement/index.js";
import { loadCluster } from "../serviceScheduler/loadCluster.js";
import { activeTaskDefinition } from "../taskDefinitions/activeTaskDefinition.js";
import { ensureClusterActive, RUN_TASK_DEFAULT_STRATEGIES } from "../tasks/launchTasks.js";
import {
  describePlan,
  type PlanPlacementPayload,
  type PlanPlacementReply,
  type PlanSubject,
} from "./describePlan.js";

const StoredConstraints = z.array(PlacementConstraint);
const StoredStrategies = z.array(PlacementStrategy);

const serviceNotFound = (): EcsError =>
  new EcsError("ServiceNotFoundException", "Service not found.");

/** What to plan: the request as the engine takes it (but the count) and whose tasks these are. */
interface Planned {
  readonly request: Omit<PlacementRequest, "count" | "seed">;
  readonly subject: PlanSubject;
}

/** A service's placement as its scheduler would use it, from the `services` read model. */
const ofService = async (
  ctx: SchedulerContext,
  clusterName: string,
  service: string,
): Promise<Planned> => {
  const serviceName = serviceNameIn(service, clusterName);
  if (serviceName === undefined) {
    throw new EcsError(
      "InvalidParameterException",
      `service: '${service}' is not a service name or ARN of cluster ${clusterName}.`,
    );
  }
  const row = await ctx.db
    .selectFrom("services")
    .select([
      "task_definition_arn",
      "scheduling_strategy",
      "placement_constraints",
      "placement_strategy",
      "status",
    ])
    .where("cluster_name", "=", clusterName)
    .where("service_name", "=", serviceName)
    .where("status", "!=", "INACTIVE")
    .executeTakeFirst();
  if (!row) throw serviceNotFound();
  // A service keeps running a task definition deregistered since: read it by ARN.
  const td = await ctx.db
    .selectFrom("task_definitions")
    .select("definition")
    .where("task_definition_arn", "=", row.task_definition_arn)
    .executeTakeFirst();
  if (!td) {
    throw new EcsError("ServerException", `The service's ${row.task_definition_arn} is missing.`);
  }
  const definition = TaskDefinition.parse(td.definition);
  const strategies = StoredStrategies.parse(row.placement_strategy);
  return {
    request: {
      need: taskRequirements(definition),
      group: `service:${serviceName}`,
      // As the service scheduler: a DAEMON service ranks nothing, a REPLICA one
      // without strategies spreads over zones, then instances.
      strategies:
        row.scheduling_strategy === "DAEMON"
          ? []
          : strategies.length > 0
            ? strategies
            : DEFAULT_SERVICE_STRATEGIES,
      constraints: StoredConstraints.parse(row.placement_constraints),
      taskDefinitionArn: definition.taskDefinitionArn,
      requiredAttributes: hostAccessAttributes(definition.requiresAttributes),
    },
    subject: { kind: "service", serviceName },
  };
};

/**
 * A task definition not registered yet, as RegisterTaskDefinition would store it: validated
 * with the same rules (an invalid one is refused naming its field) and numbered as its family's
 * next revision. Nothing is registered.
 */
const unregisteredTaskDefinition = async (
  ctx: SchedulerContext,
  input: RegisterTaskDefinitionInput,
): Promise<TaskDefinition> => {
  validateTaskDefinition(input);
  const latest = await ctx.db
    .selectFrom("task_definitions")
    .select((eb) => eb.fn.max("revision").as("revision"))
    .where("family", "=", input.family)
    .executeTakeFirst();
  const revision = Number(latest?.revision ?? 0) + 1;
  return buildTaskDefinition(input, {
    arn: taskDefinitionArn(ctx.arn, input.family, revision),
    revision,
    registeredAt: ctx.clock().getTime() / 1000,
    // Never shown: the plan answers placements only.
    registeredBy: `arn:aws:iam::${ctx.arn.accountId}:root`,
  });
};

/** A task definition's placement as RunTask would decide it. */
const ofTaskDefinition = (payload: PlanPlacementPayload, td: TaskDefinition): Planned => {
  return {
    request: {
      need: taskRequirements(td),
      group: payload.group ?? `family:${td.family}`,
      strategies:
        payload.placementStrategy && payload.placementStrategy.length > 0
          ? payload.placementStrategy
          : RUN_TASK_DEFAULT_STRATEGIES,
      constraints: payload.placementConstraints ?? [],
      taskDefinitionArn: td.taskDefinitionArn,
      requiredAttributes: hostAccessAttributes(td.requiresAttributes),
    },
    subject: { kind: "taskDefinition", name: `${td.family}:${td.revision}` },
  };
};

/**
 * The placement dry run: reads the cluster, the service or task definition
 * from the read models and asks the engine, appending nothing. `random` is
 * seeded by the cluster and subject, so asking again on an unchanged
 * cluster answers the same.
 */
export const planPlacement = async (
  ctx: SchedulerContext,
  payload: PlanPlacementPayload,
): Promise<PlanPlacementReply> => {
  const clusterName = clusterNameFrom(
    payload.cluster ??
      (payload.service === undefined ? undefined : clusterOfServiceArn(payload.service)) ??
      "default",
  );
  await ensureClusterActive(ctx, clusterName);
  let planned: Planned;
  if (payload.service !== undefined) {
    planned = await ofService(ctx, clusterName, payload.service);
  } else if (payload.taskDefinition !== undefined) {
    const td = await activeTaskDefinition(ctx, payload.taskDefinition);
    planned = ofTaskDefinition(payload, td);
  } else if (payload.taskDefinitionInput !== undefined) {
    const td = await unregisteredTaskDefinition(ctx, payload.taskDefinitionInput);
    planned = ofTaskDefinition(payload, td);
  } else {
    throw new EcsError(
      "InvalidParameterException",
      "Give exactly one of service, taskDefinition and taskDefinitionInput.",
    );
  }
  const { candidates } = await loadCluster(ctx, clusterName);
  const subjectName =
    planned.subject.kind === "service" ? planned.subject.serviceName : planned.subject.name;
  return describePlan(
    candidates,
    {
      ...planned.request,
      count: payload.count ?? 1,
      seed: `plan:${clusterName}:${planned.subject.kind}:${subjectName}`,
    },
    planned.subject,
  );
};
