import { randomUUID } from "node:crypto";
import { clusterArn, clusterNameFrom, clusterOfInstanceArn } from "../../../shared/domain/arn.js";
import type { CapacityProviderStrategy } from "../../../shared/domain/capacityProviders/strategy.js";
import { EcsError, clusterNotFound } from "../../../shared/domain/errors.js";
import type { PlacementConstraint, PlacementStrategy } from "../../../shared/domain/placement.js";
import type { Capacity } from "../../../shared/domain/resources.js";
import { containerInstanceStream, taskStream } from "../../../shared/domain/streams.js";
import { validateTags, type Tag } from "../../../shared/domain/tags/tag.js";
import { hostAccessAttributes } from "../../../shared/domain/taskDefinition/hostAccess.js";
import type { TaskDefinition } from "../../../shared/domain/taskDefinition/index.js";
import { taskRequirements } from "../../../shared/domain/taskRequirements.js";
import { isConcurrencyError, type EventMetadata } from "../../../shared/eventstore/index.js";
import { newEvent, type TaskOverride } from "../../../shared/events/index.js";
import type { SchedulerContext } from "../context.js";
import { instanceAggregate } from "../containerInstances/instanceState.js";
import { loadInstanceStates } from "../containerInstances/instanceStates.js";
import { place, type MissingCode, type PlacementFailure } from "../placement/index.js";
import { loadProviderCandidates } from "../placement/providerCandidates.js";
import {
  resolveStrategy,
  sharesOf,
  usesManagedPool,
  type ProviderShare,
  type RequestedLaunchType,
  type ResolvedStrategy,
} from "../placement/resolveStrategy.js";
import { activeTaskDefinition } from "../taskDefinitions/activeTaskDefinition.js";
import { newTask } from "./newTask.js";
import { cannotPlace, decidePlaceTask } from "./placeTask.js";
import { countPlacementFailures } from "../../../shared/observability/index.js";

export interface LaunchRequest {
  readonly cluster?: string | undefined;
  readonly taskDefinition: string;
  readonly startedBy?: string | undefined;
  readonly group?: string | undefined;
  readonly overrides?: TaskOverride | undefined;
  readonly tags?: readonly Tag[] | undefined;
  /** RunTask only (StartTask names its instances): binding rules for the engine. */
  readonly placementConstraints?: readonly PlacementConstraint[] | undefined;
  /** RunTask only: preferences in order; none means RUN_TASK_DEFAULT_STRATEGIES. */
  readonly placementStrategy?: readonly PlacementStrategy[] | undefined;
  /** RunTask only: EC2 (the cluster's instances) or FARGATE (the managed pool). */
  readonly launchType?: RequestedLaunchType | undefined;
  /** RunTask only: the split over capacity providers (resolveStrategy). */
  readonly capacityProviderStrategy?: CapacityProviderStrategy | undefined;
}

export interface LaunchFailure {
  arn?: string;
  reason: string;
  detail?: string;
}

export interface LaunchResult {
  readonly taskArns: string[];
  readonly failures: LaunchFailure[];
}

/**
 * RunTask's placement when the request names no strategy. ECS's own default
 * is `random`; Flotilla's RunTask used to take the instance with the least
 * reserved memory (ties at random). Spreading the task group over instances,
 * ties at random, keeps that behaviour's intent (a new task goes where its
 * kind is thinnest, never piling onto one host) while staying ECS's random
 * among equals. A request that wants ECS's exact default passes
 * `[{ "type": "random" }]`.
 */
export const RUN_TASK_DEFAULT_STRATEGIES: readonly PlacementStrategy[] = [
  { type: "spread", field: "instanceId" },
  { type: "random" },
];

/**
 * Where the pool's instances take a FARGATE task: spread over zones, then over
 * instances. (Fargate takes no placement constraints or strategies.)
 */
export const POOL_STRATEGIES: readonly PlacementStrategy[] = [
  { type: "spread", field: "attribute:ecs.availability-zone" },
  { type: "spread", field: "instanceId" },
];

/** ECS's RunTask failure when Fargate has no capacity for a task. */
export const FARGATE_CAPACITY_UNAVAILABLE =
  "Capacity is unavailable at this time. Please try again later or in a different availability zone";

/** How often a batch is planned again when the read models were stale for a placement. */
const MAX_ROUNDS = 5;
/** How often one placement is retried on its instance's stream after a ConcurrencyError. */
const MAX_ATTEMPTS = 5;

/**
 * The engine's failure code as ECS's RunTask `failures[].reason`: the
 * resource and agent codes as they are, a constraint in ECS's wording, an
 * instance that takes no tasks (DRAINING) as `INACTIVE`.
 */
export const runTaskFailureReason = (code: MissingCode): string => {
  switch (code) {
    case "RESOURCE:CPU":
    case "RESOURCE:MEMORY":
    case "RESOURCE:PORTS":
    case "AGENT":
    case "ATTRIBUTE":
      return code;
    case "INSTANCE_STATUS":
      return "INACTIVE";
    case "CONSTRAINT:distinctInstance":
      return "DistinctInstance placement constraint unsatisfied.";
    case "CONSTRAINT:memberOf":
      return "MemberOf placement constraint unsatisfied.";
    default: {
      const _exhaustive: never = code;
      return String(code);
    }
  }
};

/** An engine failure as a RunTask failure: the closest instance, its reason and ECS's detail. */
export const runTaskFailure = (cluster: string, failure: PlacementFailure): LaunchFailure =>
  failure.closest
    ? {
        arn: failure.closest.arn,
        reason: runTaskFailureReason(failure.closest.code),
        detail: `The closest matching container-instance ${failure.closest.arn} ${failure.closest.missing}.`,
      }
    : { arn: cluster, reason: failure.reason };

/** Why the instance's own stream refused (StartTask, or a stale RunTask placement). */
const streamFailureReason = (why: string): string =>
  why === "was not found"
    ? "MISSING"
    : why.includes("memory")
      ? "RESOURCE:MEMORY"
      : why.includes("CPU")
        ? "RESOURCE:CPU"
        : why.includes("port")
          ? "RESOURCE:PORTS"
          : why.includes("agent")
            ? "AGENT"
            : "INACTIVE";

const streamFailure = (arn: string, why: string): LaunchFailure => ({
  arn,
  reason: streamFailureReason(why),
  ...(why === "was not found"
    ? {}
    : { detail: `The closest matching container-instance ${arn} ${why}.` }),
});

/** ClusterNotFoundException unless the cluster exists and is ACTIVE. */
export const ensureClusterActive = async (
  ctx: SchedulerContext,
  clusterName: string,
): Promise<void> => {
  const row = await ctx.db
    .selectFrom("clusters")
    .select("status")
    .where("cluster_name", "=", clusterName)
    .executeTakeFirst();
  if (row?.status !== "ACTIVE") throw clusterNotFound();
};

/** What every placement of one request shares. */
interface Launch {
  /** The task's own cluster (its stream and ARN); its instance may be in a pool's cluster. */
  readonly clusterName: string;
  readonly td: TaskDefinition;
  readonly need: Capacity;
  readonly group: string;
  readonly req: LaunchRequest;
  readonly tags: readonly Tag[];
  readonly metadata: EventMetadata;
}

/**
 * Places and creates tasks. RunTask (`count`) asks the placement engine over
 * the read models (filters, the request's constraints, its strategies or
 * RUN_TASK_DEFAULT_STRATEGIES); StartTask (`instances`) takes the instances
 * it names. Either way each placement is then decided again on the
 * instance's own stream (its registered resources minus the reservations of
 * its tasks) and appended together with the new task's stream in one
 * transaction, at the instance version read: two launches can never
 * overcommit an instance. A RunTask placement the stream refuses (the read
 * models were behind a concurrent launch) sends the rest of the batch back to
 * the engine on fresh read models.
 */
export const launchTasks = async (
  ctx: SchedulerContext,
  req: LaunchRequest,
  placement: { count: number } | { instances: readonly string[] },
  metadata: EventMetadata,
): Promise<LaunchResult> => {
  const clusterName = clusterNameFrom(req.cluster ?? "default");
  // RunTask: by launch type or over capacity providers (which checks the cluster is ACTIVE);
  // StartTask names its instances, of the cluster: EC2 only, as in ECS.
  let resolved: ResolvedStrategy = { kind: "launchType", launchType: "EC2" };
  if ("count" in placement) resolved = await resolveStrategy(ctx, clusterName, req);
  else await ensureClusterActive(ctx, clusterName);
  const td = await activeTaskDefinition(ctx, req.taskDefinition);
  if (usesManagedPool(resolved)) checkFargateLaunch(td, req);
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
  const launch: Launch = {
    clusterName,
    td,
    need: taskRequirements(td, overrides),
    group: req.group ?? `family:${td.family}`,
    req,
    tags,
    metadata,
  };
  if (!("count" in placement)) return startOnInstances(ctx, launch, placement.instances);
  const result: LaunchResult = { taskArns: [], failures: [] };
  const seed = launch.metadata.commandId ?? randomUUID();
  for (const share of sharesOf(resolved, placement.count)) {
    if (share.count > 0) await runOnEngine(ctx, launch, share, seed, result);
  }
  return result;
};

/**
 * A FARGATE launch, with ECS's checks: the task definition must be Fargate
 * compatible (its `compatibilities`), and Fargate takes no placement
 * constraints or strategies.
 */
const checkFargateLaunch = (td: TaskDefinition, req: LaunchRequest): void => {
  if (!td.compatibilities.includes("FARGATE")) {
    throw new EcsError(
      "InvalidParameterException",
      "Task definition does not support launch_type FARGATE.",
    );
  }
  if ((req.placementConstraints ?? []).length > 0) {
    throw new EcsError(
      "InvalidParameterException",
      "Placement constraints are not supported with FARGATE launch type.",
    );
  }
  if ((req.placementStrategy ?? []).length > 0) {
    throw new EcsError(
      "InvalidParameterException",
      "Placement strategies are not supported with FARGATE launch type.",
    );
  }
};

/** One provider's share of a RunTask, placed by the engine on that provider's instances. */
const runOnEngine = async (
  ctx: SchedulerContext,
  launch: Launch,
  share: ProviderShare,
  seed: string,
  result: LaunchResult,
): Promise<void> => {
  const pool = share.launchType === "FARGATE";
  const strategies = pool
    ? POOL_STRATEGIES
    : launch.req.placementStrategy && launch.req.placementStrategy.length > 0
      ? launch.req.placementStrategy
      : RUN_TASK_DEFAULT_STRATEGIES;
  const constraints = pool ? [] : (launch.req.placementConstraints ?? []);
  const cluster = clusterArn(ctx.arn, launch.clusterName);
  const seedOf = (round: number) =>
    share.provider === undefined ? `${seed}#${round}` : `${seed}#${share.provider}#${round}`;
  let remaining = share.count;

  for (let round = 1; remaining > 0; round++) {
    const { view } = await loadProviderCandidates(ctx, launch.clusterName, share.provider);
    const decision = place(view.candidates, {
      need: launch.need,
      group: launch.group,
      count: remaining,
      strategies,
      constraints,
      seed: seedOf(round),
      taskDefinitionArn: launch.td.taskDefinitionArn,
      requiredAttributes: hostAccessAttributes(launch.td.requiresAttributes),
    });
    let stale = false;
    for (const instanceArn of decision.placements) {
      const placed = await commitPlacement(ctx, launch, instanceArn, share);
      if ("taskArn" in placed) {
        result.taskArns.push(placed.taskArn);
        remaining--;
        continue;
      }
      if (round < MAX_ROUNDS) {
        stale = true; // plan what is left again, on read models that now show what changed
        break;
      }
      result.failures.push(
        pool ? { reason: FARGATE_CAPACITY_UNAVAILABLE } : streamFailure(instanceArn, placed.why),
      );
      remaining--;
    }
    if (stale) continue;
    countPlacementFailures("run_task", decision.failures);
    for (const f of decision.failures) {
      // The pool's instances are nobody's to see: Fargate reports capacity, not instances.
      result.failures.push(
        pool ? { reason: FARGATE_CAPACITY_UNAVAILABLE } : runTaskFailure(cluster, f),
      );
    }
    remaining -= decision.failures.length;
    if (remaining > 0) {
      // Cannot happen: the engine answers every requested task, placed or failed.
      throw new EcsError("ServerException", "The placement engine left tasks unanswered.");
    }
  }
};

const startOnInstances = async (
  ctx: SchedulerContext,
  launch: Launch,
  instances: readonly string[],
): Promise<LaunchResult> => {
  const result: LaunchResult = { taskArns: [], failures: [] };
  for (const wanted of instances) {
    const instanceArn = wanted.startsWith("arn:")
      ? wanted
      : `arn:aws:ecs:${ctx.arn.region}:${ctx.arn.accountId}:container-instance/${launch.clusterName}/${wanted}`;
    // Only the cluster's own instances (never another cluster's, nor a managed pool's).
    if (clusterOfInstanceArn(instanceArn) !== launch.clusterName) {
      result.failures.push(streamFailure(instanceArn, "was not found"));
      continue;
    }
    const placed = await commitPlacement(ctx, launch, instanceArn, EC2_LAUNCH);
    if ("taskArn" in placed) result.taskArns.push(placed.taskArn);
    else result.failures.push(streamFailure(instanceArn, placed.why));
  }
  return result;
};

const EC2_LAUNCH: Pick<ProviderShare, "launchType" | "capacityProviderName"> = {
  launchType: "EC2",
  capacityProviderName: undefined,
};

/**
 * One task on one instance, decided on the instance's stream: TaskPlaced
 * there and TaskCreated on the new task's stream in one transaction, at the
 * instance version read; a concurrent writer makes it read and decide again.
 * The instance's stream is in the instance's own cluster (a managed pool's
 * for FARGATE), the task's in the task's cluster.
 */
const commitPlacement = async (
  ctx: SchedulerContext,
  launch: Launch,
  instanceArn: string,
  how: Pick<ProviderShare, "launchType" | "capacityProviderName">,
): Promise<{ taskArn: string } | { why: string }> => {
  const id = instanceArn.slice(instanceArn.lastIndexOf("/") + 1);
  const instanceCluster = clusterOfInstanceArn(instanceArn) ?? launch.clusterName;
  const stream = containerInstanceStream(instanceCluster, id);
  for (let attempt = 1; ; attempt++) {
    // The instance at its stream's version, from the read models (one row, not its history).
    const loaded = (await loadInstanceStates(ctx, instanceCluster, [instanceArn])).get(instanceArn);
    const version = loaded?.version ?? 0;
    const instance = loaded?.state ?? instanceAggregate.initialState;
    const why = instance.status === "NONE" ? "was not found" : cannotPlace(launch.need, instance);
    if (why) return { why };
    const { taskId, created } = newTask(ctx.arn, {
      clusterName: launch.clusterName,
      taskDefinition: launch.td,
      need: launch.need,
      containerInstanceArn: instance.containerInstanceArn!,
      availabilityZone: instance.availabilityZone,
      launchType: how.launchType,
      capacityProviderName: how.capacityProviderName,
      group: launch.group,
      startedBy: launch.req.startedBy,
      overrides: launch.req.overrides,
      tags: launch.tags,
      createdAt: ctx.clock(),
    });
    const placedEvents = decidePlaceTask(created.taskArn, launch.need, instance);
    try {
      await ctx.store.appendMany(
        [
          {
            streamId: stream,
            events: placedEvents.map((e) => newEvent(e.type, e.data)),
            expectedVersion: version,
          },
          {
            streamId: taskStream(launch.clusterName, taskId),
            events: [newEvent("TaskCreated", created)],
            expectedVersion: "noStream",
          },
        ],
        launch.metadata,
      );
    } catch (err) {
      if (!isConcurrencyError(err)) throw err;
      if (attempt >= MAX_ATTEMPTS) {
        // Many placements racing for one instance: the client retries (the SDKs do on 5xx).
        throw new EcsError(
          "ServerException",
          `Too many concurrent placements on container instance ${instance.containerInstanceArn}; retry the request.`,
          { retryable: true, cause: err },
        );
      }
      // Back off with jitter so the racing placements spread out instead of colliding again.
      await new Promise((r) => setTimeout(r, Math.random() * 10 * 2 ** attempt));
      continue;
    }
    if (instance.ec2InstanceId) {
      ctx.notifyAgent?.(instance.ec2InstanceId, "task created", created.taskArn);
    }
    return { taskArn: created.taskArn };
  }
};
