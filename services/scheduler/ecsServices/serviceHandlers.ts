import { createHash, randomInt } from "node:crypto";
import { clusterNameFrom } from "../../../shared/domain/arn.js";
import { canonicalJson } from "../../../shared/domain/canonicalJson.js";
import { EcsError, clusterNotFound } from "../../../shared/domain/errors.js";
import { clusterOfServiceArn, serviceNameIn } from "../../../shared/domain/serviceRef.js";
import { serviceStream } from "../../../shared/domain/streams.js";
import type { PayloadOf, ReplyOf } from "../../../shared/bus/index.js";
import type {
  CreateService,
  DeleteService,
  UpdateService,
} from "../../../shared/commands/scheduler/index.js";
import type { TaskDefinition } from "../../../shared/domain/taskDefinition/index.js";
import type { EventMetadata } from "../../../shared/eventstore/index.js";
import { toDomainEvent } from "../../../shared/events/index.js";
import type { SchedulerContext } from "../context.js";
import { fold } from "../../../shared/aggregate/decider.js";
import { runCommand } from "../../../shared/aggregate/runCommand.js";
import { activeTaskDefinition } from "../taskDefinitions/activeTaskDefinition.js";
import { loadClusterProviders, resolveStrategy } from "../placement/resolveStrategy.js";
import { validateStrategy } from "../../../shared/domain/capacityProviders/strategy.js";
import { decideCreateService } from "./createService.js";
import { checkFargateService, resolvedOfService } from "./serviceCapacity.js";
import { validateLoadBalancers, type ServiceLoadBalancerInput } from "./loadBalancerRules.js";
import { decideDeleteService } from "./deleteService.js";
import { serviceAggregate } from "./serviceState.js";
import { decideUpdateService, serviceNotFound } from "./updateService.js";

/** ECS's deployment ids: `ecs-svc/` and 19 digits. */
export const newDeploymentId = (): string =>
  `ecs-svc/${randomInt(1, 10).toString()}${Array.from({ length: 18 }, () => randomInt(0, 10)).join("")}`;

const ensureClusterActive = async (ctx: SchedulerContext, clusterName: string) => {
  const row = await ctx.db
    .selectFrom("clusters")
    .select("status")
    .where("cluster_name", "=", clusterName)
    .executeTakeFirst();
  if (row?.status !== "ACTIVE") throw clusterNotFound();
};

/** The cluster and name a request's `service` (name or ARN) and `cluster` point at. */
const serviceTarget = (service: string, cluster: string | undefined) => {
  const clusterName = clusterNameFrom(cluster ?? clusterOfServiceArn(service) ?? "default");
  const name = serviceNameIn(service, clusterName);
  if (name === undefined) {
    throw new EcsError(
      "InvalidParameterException",
      `service: '${service}' is not a service name or ARN of cluster ${clusterName}.`,
    );
  }
  return { clusterName, serviceName: name, streamId: serviceStream(clusterName, name) };
};

/** The service's load balancers name existing target groups and the task's container ports. */
const checkLoadBalancers = async (
  ctx: SchedulerContext,
  loadBalancers: readonly ServiceLoadBalancerInput[],
  td: TaskDefinition,
): Promise<void> => {
  if (loadBalancers.length === 0) return;
  const arns = loadBalancers.flatMap((lb) => (lb.targetGroupArn ? [lb.targetGroupArn] : []));
  const found =
    arns.length === 0
      ? []
      : await ctx.db
          .selectFrom("target_groups")
          .select("target_group_arn")
          .where("target_group_arn", "in", arns)
          .execute();
  const known = new Set(found.map((r) => r.target_group_arn));
  validateLoadBalancers(loadBalancers, td, (arn) => known.has(arn));
};

/** What the service handlers need besides the scheduler's context. */
export interface ServiceHandlerDeps extends SchedulerContext {
  /** The service scheduler: reconcile this cluster's services now. */
  readonly touchCluster?: (clusterName: string) => void;
}

export const createService = async (
  ctx: ServiceHandlerDeps,
  cmd: PayloadOf<typeof CreateService>,
  metadata: EventMetadata,
): Promise<ReplyOf<typeof CreateService>> => {
  const clusterName = clusterNameFrom(cmd.cluster ?? "default");
  await ensureClusterActive(ctx, clusterName);
  const td = await activeTaskDefinition(ctx, cmd.taskDefinition);
  await checkLoadBalancers(ctx, cmd.loadBalancers ?? [], td);
  // The request's launch type or strategy, else the cluster's default strategy now (ECS).
  const resolved = await resolveStrategy(ctx, clusterName, {
    launchType: cmd.launchType,
    capacityProviderStrategy: cmd.capacityProviderStrategy,
  });
  if (cmd.schedulingStrategy !== "DAEMON") {
    checkFargateService(resolved, td, {
      constraints: cmd.placementConstraints ?? [],
      strategy: cmd.placementStrategy ?? [],
    });
  }
  const requestDigest = createHash("sha256")
    .update(canonicalJson({ ...cmd, cluster: clusterName }))
    .digest("hex");
  const dc = { now: ctx.clock(), arn: ctx.arn, actor: metadata.actor };
  const inputs = {
    clusterName,
    taskDefinitionArn: td.taskDefinitionArn,
    requestDigest,
    deploymentId: newDeploymentId(),
    resolved,
  };
  const reply = await runCommand(
    ctx.store,
    serviceStream(clusterName, cmd.serviceName),
    serviceAggregate,
    (state) => decideCreateService(cmd, state, inputs, dc),
    metadata,
    (state) => ({ serviceArn: state.created!.serviceArn }),
  );
  ctx.touchCluster?.(clusterName);
  return reply;
};

export const updateService = async (
  ctx: ServiceHandlerDeps,
  cmd: PayloadOf<typeof UpdateService>,
  metadata: EventMetadata,
): Promise<ReplyOf<typeof UpdateService>> => {
  const target = serviceTarget(cmd.service, cmd.cluster);
  const td =
    cmd.taskDefinition === undefined
      ? undefined
      : await activeTaskDefinition(ctx, cmd.taskDefinition);
  if (td) {
    // The new task definition must still offer the load balancers' container ports.
    const { events } = await ctx.store.readStream(target.streamId);
    const current = fold(serviceAggregate, events.map(toDomainEvent));
    await checkLoadBalancers(ctx, current.created?.loadBalancers ?? [], td);
    if (current.created) {
      checkFargateService(resolvedOfService(current), td, { constraints: [], strategy: [] });
    }
  }
  if ((cmd.capacityProviderStrategy ?? []).length > 0) {
    // A new strategy names providers associated with the cluster (ECS's checks).
    const cluster = await loadClusterProviders(ctx, target.clusterName);
    validateStrategy(cmd.capacityProviderStrategy!, "capacityProviderStrategy", [
      ...cluster.capacityProviders,
    ]);
  }
  const dc = { now: ctx.clock(), arn: ctx.arn, actor: metadata.actor };
  const inputs = { taskDefinitionArn: td?.taskDefinitionArn, deploymentId: newDeploymentId() };
  const reply = await runCommand(
    ctx.store,
    target.streamId,
    serviceAggregate,
    (state) => decideUpdateService(cmd, state, inputs, dc),
    metadata,
    (state) => ({ serviceArn: state.created!.serviceArn }),
  );
  ctx.touchCluster?.(target.clusterName);
  return reply;
};

export const deleteService = async (
  ctx: ServiceHandlerDeps,
  cmd: PayloadOf<typeof DeleteService>,
  metadata: EventMetadata,
): Promise<ReplyOf<typeof DeleteService>> => {
  const target = serviceTarget(cmd.service, cmd.cluster);
  const dc = { now: ctx.clock(), arn: ctx.arn, actor: metadata.actor };
  const reply = await runCommand(
    ctx.store,
    target.streamId,
    serviceAggregate,
    (state) => decideDeleteService(cmd.force ?? false, state, dc),
    metadata,
    (state) => {
      if (!state.created) throw serviceNotFound();
      return { serviceArn: state.created.serviceArn };
    },
  );
  ctx.touchCluster?.(target.clusterName);
  return reply;
};
