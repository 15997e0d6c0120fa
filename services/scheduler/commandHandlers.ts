import { clusterNameFrom } from "../../shared/domain/arn.js";
import { interruptSpotTasks } from "./spot/interruptSpotTasks.js";
import { clusterStream, taskDefinitionFamilyStream } from "../../shared/domain/streams.js";
import { served, type CommandContext, type ServedCommand } from "../../shared/bus/index.js";
import {
  CreateCluster,
  CreateService,
  DeleteService,
  UpdateService,
  DeleteCluster,
  DeregisterContainerInstance,
  DeregisterTaskDefinition,
  InterruptSpotTasks,
  PlanPlacement,
  RegisterContainerInstance,
  RegisterTaskDefinition,
  ReportTaskState,
  RunTask,
  StartTask,
  StopTask,
  TagResource,
  UntagResource,
  UpdateContainerInstancesState,
} from "../../shared/commands/scheduler/index.js";
import {
  createService,
  deleteService,
  updateService,
  type ServiceHandlerDeps,
} from "./ecsServices/serviceHandlers.js";
import { loadBalancingCommands } from "./loadBalancing/loadBalancingHandlers.js";
import { deregisterContainerInstance } from "./containerInstances/deregistration.js";
import { registerContainerInstance } from "./containerInstances/registration.js";
import { updateContainerInstancesState } from "./containerInstances/statusUpdate.js";
import { planPlacement } from "./placementPlans/planPlacement.js";
import { launchTasks } from "./tasks/launchTasks.js";
import { runTaskIdempotently } from "./tasks/runTaskIdempotently.js";
import { reportTaskState } from "./tasks/reportTaskStateHandler.js";
import { stopTask } from "./tasks/stopTaskHandler.js";
import { clusterAggregate } from "./clusters/clusterState.js";
import { clusterNameOf, decideCreateCluster } from "./clusters/createCluster.js";
import { decideDeleteCluster } from "./clusters/deleteCluster.js";
import type { DecisionContext } from "../../shared/aggregate/decider.js";
import { runCommand } from "../../shared/aggregate/runCommand.js";
import { decideTagging, type TaggingCommand } from "./tags/decideTagging.js";
import { taggableResource } from "./tags/taggableResource.js";
import { taggedServiceAggregate } from "./tags/taggedService.js";
import { decideDeregisterTaskDefinition } from "./taskDefinitions/deregisterTaskDefinition.js";
import { familyAggregate } from "./taskDefinitions/familyState.js";
import { parseTaskDefinitionRef } from "../../shared/domain/taskDefinitionRef.js";
import { decideRegisterTaskDefinition } from "./taskDefinitions/registerTaskDefinition.js";
import { webhookCommands } from "./webhooks/webhookHandlers.js";
import { capacityProviderCommands } from "./capacityProviders/capacityProviderHandlers.js";
import { activeCapacityProviderNames } from "./capacityProviders/capacityProviderReads.js";
import { capacityProviderAggregate } from "./capacityProviders/capacityProviderState.js";

/** Wires each scheduler command to its decider over the event store. */
export const schedulerCommands = (deps: ServiceHandlerDeps): ServedCommand[] => {
  const { store, clock } = deps;
  const decisionContext = (ctx: CommandContext): DecisionContext => ({
    now: clock(),
    arn: deps.arn,
    actor: ctx.metadata.actor,
  });

  const tagging = async (command: TaggingCommand, ctx: CommandContext) => {
    const resource = taggableResource(command.resourceArn, deps.arn);
    if (resource.kind === "cluster") {
      await runCommand(
        store,
        resource.streamId,
        clusterAggregate,
        (state) => decideTagging(command, resource, state),
        ctx.metadata,
        () => undefined,
      );
    } else if (resource.kind === "capacityProvider") {
      await runCommand(
        store,
        resource.streamId,
        capacityProviderAggregate,
        (state) => decideTagging(command, resource, state),
        ctx.metadata,
        () => undefined,
      );
    } else if (resource.kind === "service") {
      await runCommand(
        store,
        resource.streamId,
        taggedServiceAggregate,
        (state) => decideTagging(command, resource, state),
        ctx.metadata,
        () => undefined,
      );
    } else {
      await runCommand(
        store,
        resource.streamId,
        familyAggregate,
        (state) => decideTagging(command, resource, state),
        ctx.metadata,
        () => undefined,
      );
    }
    return {};
  };

  return [
    served(CreateCluster, async (payload, ctx) => {
      const name = clusterNameOf(payload);
      const activeCapacityProviders = await activeCapacityProviderNames(deps.db);
      const dc = decisionContext(ctx);
      return runCommand(
        store,
        clusterStream(name),
        clusterAggregate,
        (state) => decideCreateCluster({ ...payload, activeCapacityProviders }, state, dc),
        ctx.metadata,
        (state) => ({ clusterName: state.clusterName!, clusterArn: state.clusterArn! }),
      );
    }),
    served(DeleteCluster, async (payload, ctx) => {
      const name = clusterNameFrom(payload.cluster);
      const dc = decisionContext(ctx);
      const { n } = await deps.db
        .selectFrom("services")
        .select((e) => e.fn.countAll<number>().as("n"))
        .where("cluster_name", "=", name)
        .where("status", "in", ["ACTIVE", "DRAINING"])
        .executeTakeFirstOrThrow();
      const activeServices = Number(n);
      return runCommand(
        store,
        clusterStream(name),
        clusterAggregate,
        (state) => decideDeleteCluster({ ...payload, activeServices }, state, dc),
        ctx.metadata,
        (state) => ({ clusterName: state.clusterName!, clusterArn: state.clusterArn! }),
      );
    }),
    served(RegisterTaskDefinition, async (payload, ctx) => {
      const dc = decisionContext(ctx);
      return runCommand(
        store,
        taskDefinitionFamilyStream(payload.family),
        familyAggregate,
        (state) => decideRegisterTaskDefinition(payload, state, dc),
        ctx.metadata,
        (state) => ({
          family: payload.family,
          revision: state.latestRevision,
          taskDefinitionArn: state.revisions.get(state.latestRevision)!.arn,
        }),
      );
    }),
    served(DeregisterTaskDefinition, async (payload, ctx) => {
      const ref = parseTaskDefinitionRef(payload.taskDefinition);
      const dc = decisionContext(ctx);
      return runCommand(
        store,
        taskDefinitionFamilyStream(ref.family),
        familyAggregate,
        (state) => decideDeregisterTaskDefinition(ref, state, dc),
        ctx.metadata,
        (state) => ({
          family: ref.family,
          revision: ref.revision!,
          taskDefinitionArn: state.revisions.get(ref.revision!)!.arn,
        }),
      );
    }),
    served(RegisterContainerInstance, (payload, ctx) =>
      registerContainerInstance(deps, payload, ctx.metadata),
    ),
    served(DeregisterContainerInstance, (payload, ctx) =>
      deregisterContainerInstance(deps, payload, ctx.metadata),
    ),
    served(UpdateContainerInstancesState, (payload, ctx) =>
      updateContainerInstancesState(deps, payload, ctx.metadata),
    ),
    served(RunTask, (payload, ctx) => {
      // launchType and capacityProviderStrategy: launchTasks (placement/resolveStrategy.ts).
      const { clientToken } = payload;
      return clientToken === undefined
        ? launchTasks(deps, payload, { count: payload.count ?? 1 }, ctx.metadata)
        : runTaskIdempotently(deps, { ...payload, clientToken }, ctx.metadata);
    }),
    served(StartTask, (payload, ctx) =>
      launchTasks(deps, payload, { instances: payload.containerInstances }, ctx.metadata),
    ),
    served(StopTask, (payload, ctx) => stopTask(deps, payload, ctx.metadata)),
    // A dry run: reads only, appends nothing.
    served(PlanPlacement, (payload) => planPlacement(deps, payload)),
    served(ReportTaskState, (payload, ctx) => reportTaskState(deps, payload, ctx.metadata)),
    served(CreateService, (payload, ctx) => createService(deps, payload, ctx.metadata)),
    served(UpdateService, (payload, ctx) => updateService(deps, payload, ctx.metadata)),
    served(DeleteService, (payload, ctx) => deleteService(deps, payload, ctx.metadata)),
    served(InterruptSpotTasks, (payload, ctx) => interruptSpotTasks(deps, payload, ctx.metadata)),
    served(TagResource, (payload, ctx) => tagging({ op: "tag", ...payload }, ctx)),
    served(UntagResource, (payload, ctx) => tagging({ op: "untag", ...payload }, ctx)),
    ...loadBalancingCommands(deps),
    ...webhookCommands(deps),
    ...capacityProviderCommands(deps),
  ];
};
