import { serviceStream } from "../../../shared/domain/streams.js";
import { hostAccessAttributes } from "../../../shared/domain/taskDefinition/hostAccess.js";
import { TaskDefinition } from "../../../shared/domain/taskDefinition/index.js";
import { taskRequirements } from "../../../shared/domain/taskRequirements.js";
import { isConcurrencyError } from "../../../shared/eventstore/index.js";
import { toDomainEvent } from "../../../shared/events/index.js";
import type { SchedulerContext } from "../context.js";
import { fold } from "../../../shared/aggregate/decider.js";
import {
  primaryDeployment,
  serviceAggregate,
  type ServiceState,
} from "../ecsServices/serviceState.js";
import { countPlacementFailure } from "../../../shared/observability/index.js";
import { failureCodeOfMessage } from "../placement/failureCodeOfMessage.js";
import { applyPlan } from "./applyPlan.js";
import { loadCluster, type ClusterView } from "./loadCluster.js";
import { loadServiceTasks } from "./loadServiceTasks.js";
import { loadServiceView } from "./loadServiceView.js";
import { planService } from "./plan/planService.js";
import type { ServicePlan, ServiceSchedulerSettings } from "./plan/types.js";

const MAX_ATTEMPTS = 5;

const isEmptyPlan = (plan: ServicePlan): boolean =>
  !plan.start &&
  plan.stop.length === 0 &&
  plan.events.length === 0 &&
  (plan.drain ?? []).length === 0 &&
  (plan.register ?? []).length === 0 &&
  (plan.deregister ?? []).length === 0;

/** The deregistration delay of each target group the service's load balancers name. */
const loadTargetGroups = async (ctx: SchedulerContext, service: ServiceState) => {
  const arns = (service.created?.loadBalancers ?? []).flatMap((lb) =>
    lb.targetGroupArn === undefined ? [] : [lb.targetGroupArn],
  );
  if (arns.length === 0) return new Map<string, { deregistrationDelaySeconds: number }>();
  const rows = await ctx.db
    .selectFrom("target_groups")
    .select(["target_group_arn", "deregistration_delay_seconds"])
    .where("target_group_arn", "in", arns)
    .execute();
  return new Map(
    rows.map((r) => [
      r.target_group_arn,
      { deregistrationDelaySeconds: r.deregistration_delay_seconds },
    ]),
  );
};

export type StepOutcome = "idle" | "acted";

/** The task definitions of these ARNs, as registered. */
const loadTaskDefinitions = async (
  ctx: SchedulerContext,
  arns: readonly string[],
): Promise<Map<string, TaskDefinition>> => {
  if (arns.length === 0) return new Map();
  const rows = await ctx.db
    .selectFrom("task_definitions")
    .select(["task_definition_arn", "definition"])
    .where("task_definition_arn", "in", [...new Set(arns)])
    .execute();
  return new Map(rows.map((r) => [r.task_definition_arn, TaskDefinition.parse(r.definition)]));
};

/**
 * One reconcile step of one service: fold its stream, read its tasks and its
 * cluster, plan (pure), apply in one transaction at the version folded. A
 * concurrent writer (another replica, a user's UpdateService) makes the
 * append fail; the step is then planned again on fresh state.
 */
export const reconcileService = async (
  ctx: SchedulerContext,
  clusterName: string,
  serviceName: string,
  settings: ServiceSchedulerSettings,
  /**
   * Cluster and managed pool views as read earlier in the same pass, when no step has acted since
   * (serviceController.ts): a pass over many services then reads the cluster once,
   * not once per service. A retry after a conflict always reads it afresh.
   */
  clusterOfPass?: (clusterName: string) => Promise<ClusterView>,
): Promise<StepOutcome> => {
  for (let attempt = 1; ; attempt++) {
    const { version, events } = await ctx.store.readStream(serviceStream(clusterName, serviceName));
    const service = fold(serviceAggregate, events.map(toDomainEvent));
    const primary = primaryDeployment(service);
    if (!primary || service.status === "NONE" || service.status === "INACTIVE") return "idle";
    const [tasks, cluster, definitions] = await Promise.all([
      loadServiceTasks(ctx, clusterName, serviceName),
      loadServiceView(
        ctx,
        clusterName,
        service,
        attempt === 1 && clusterOfPass ? clusterOfPass : (name) => loadCluster(ctx, name),
      ),
      loadTaskDefinitions(
        ctx,
        service.deployments.map((d) => d.taskDefinitionArn),
      ),
    ]);
    const primaryTd = definitions.get(primary.taskDefinitionArn);
    if (!primaryTd) {
      ctx.log.warn(
        { serviceName, taskDefinition: primary.taskDefinitionArn },
        "task definition missing",
      );
      return "idle";
    }
    const healthChecked = new Set(
      service.deployments
        .filter((d) =>
          definitions
            .get(d.taskDefinitionArn)
            ?.containerDefinitions.some((c) => c.essential && c.healthCheck !== undefined),
        )
        .map((d) => d.id),
    );
    const need = taskRequirements(primaryTd);
    const targetGroups = await loadTargetGroups(ctx, service);
    const plan = planService({
      service,
      tasks,
      instances: cluster.instances,
      candidates: cluster.candidates,
      providers: cluster.providers,
      healthChecked,
      need,
      requiredAttributes: hostAccessAttributes(primaryTd.requiresAttributes),
      now: ctx.clock().getTime() / 1000,
      seed: `${service.created!.serviceArn}@${version}`,
      settings,
      targetGroups,
    });
    if (isEmptyPlan(plan)) return "idle";
    try {
      const applied = await applyPlan(ctx, plan, {
        service,
        version,
        primaryTaskDefinition: primaryTd,
        need,
        agentOf: new Map(cluster.candidates.map((c) => [c.containerInstanceArn, c.ec2InstanceId])),
        targetsOf: new Map(tasks.map((t) => [t.taskArn, t.targets ?? []])),
        placementOf: cluster.placementOf,
      });
      for (const e of plan.events) {
        if (e.type === "ServiceTaskPlacementFailed") {
          countPlacementFailure("service", failureCodeOfMessage(e.data.message));
        }
      }
      if (applied.started.length + applied.stopped.length + plan.events.length > 0) {
        ctx.log.debug({ clusterName, serviceName, version }, "service step applied");
      }
      return "acted";
    } catch (err) {
      if (!isConcurrencyError(err) || attempt >= MAX_ATTEMPTS) throw err;
      // Another replica (or a user's command) wrote first: plan again on fresh state.
      ctx.log.debug({ clusterName, serviceName, version, attempt }, "service step conflict");
    }
  }
};
