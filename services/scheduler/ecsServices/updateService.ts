import { EcsError } from "../../../shared/domain/errors.js";
import { canonicalJson } from "../../../shared/domain/canonicalJson.js";
import type { PayloadOf } from "../../../shared/bus/index.js";
import type { UpdateService } from "../../../shared/commands/scheduler/index.js";
import type { DomainEvent, ServiceUpdated } from "../../../shared/events/index.js";
import type { DecisionContext } from "../../../shared/aggregate/decider.js";
import { validateDeploymentConfiguration, withDefaults } from "./deploymentConfiguration.js";
import { validatePlacement } from "./placementRules.js";
import { strategyChange } from "./serviceCapacity.js";
import type { ServiceState } from "./serviceState.js";

export type UpdateServiceCommand = PayloadOf<typeof UpdateService>;

export const serviceNotFound = (): EcsError =>
  new EcsError("ServiceNotFoundException", "Service not found.");

export const serviceNotActive = (): EcsError =>
  new EcsError("ServiceNotActiveException", "Service was not ACTIVE.");

/**
 * UpdateService. Only the fields given change. A new task definition, new
 * placement, a new capacity provider strategy (which needs
 * forceNewDeployment, as in ECS) or forceNewDeployment begins a new PRIMARY
 * deployment; a change of desiredCount alone scales the current one. Nothing
 * to change, nothing recorded.
 */
export const decideUpdateService = (
  cmd: UpdateServiceCommand,
  state: ServiceState,
  inputs: { readonly taskDefinitionArn?: string | undefined; readonly deploymentId: string },
  ctx: DecisionContext,
): DomainEvent[] => {
  if (state.status === "NONE") throw serviceNotFound();
  if (state.status !== "ACTIVE") throw serviceNotActive();
  const strategy = state.schedulingStrategy;
  if (strategy === "DAEMON" && cmd.desiredCount !== undefined) {
    throw new EcsError(
      "InvalidParameterException",
      "desiredCount: The desired count of a DAEMON service cannot be changed.",
    );
  }
  const desiredCount = cmd.desiredCount ?? state.desiredCount;
  const config =
    cmd.deploymentConfiguration === undefined
      ? undefined
      : withDefaults(cmd.deploymentConfiguration, strategy, state.deploymentConfiguration);
  if (config || cmd.desiredCount !== undefined) {
    validateDeploymentConfiguration(
      config ?? state.deploymentConfiguration,
      strategy,
      desiredCount,
    );
  }
  validatePlacement(
    strategy,
    cmd.placementStrategy ?? state.placementStrategy,
    cmd.placementConstraints ?? state.placementConstraints,
  );
  const capacity = strategyChange(
    cmd.capacityProviderStrategy,
    state,
    cmd.forceNewDeployment === true,
  );
  const changed = <T>(next: T | undefined, current: T): next is T =>
    next !== undefined && canonicalJson(next) !== canonicalJson(current);

  const update: Omit<ServiceUpdated, "clusterName" | "serviceArn" | "updatedAt"> = {
    ...(changed(cmd.desiredCount, state.desiredCount) ? { desiredCount: cmd.desiredCount } : {}),
    ...(changed(inputs.taskDefinitionArn, state.taskDefinitionArn)
      ? { taskDefinitionArn: inputs.taskDefinitionArn }
      : {}),
    ...(changed(config, state.deploymentConfiguration) ? { deploymentConfiguration: config } : {}),
    ...(changed(cmd.placementConstraints, state.placementConstraints)
      ? { placementConstraints: cmd.placementConstraints }
      : {}),
    ...(changed(cmd.placementStrategy, state.placementStrategy)
      ? { placementStrategy: cmd.placementStrategy }
      : {}),
    ...(changed(cmd.healthCheckGracePeriodSeconds, state.healthCheckGracePeriodSeconds)
      ? { healthCheckGracePeriodSeconds: cmd.healthCheckGracePeriodSeconds }
      : {}),
    ...(capacity ?? {}),
  };
  const newDeployment =
    cmd.forceNewDeployment === true ||
    update.taskDefinitionArn !== undefined ||
    update.placementConstraints !== undefined ||
    update.placementStrategy !== undefined ||
    capacity !== undefined;
  if (!newDeployment && Object.keys(update).length === 0) return [];
  const primary = state.deployments.find((d) => d.status === "PRIMARY");
  return [
    {
      type: "ServiceUpdated",
      data: {
        clusterName: state.created!.clusterName,
        serviceArn: state.created!.serviceArn,
        ...update,
        ...(newDeployment
          ? {
              deploymentId: inputs.deploymentId,
              // A forced deployment of the same definition still names it.
              ...(update.taskDefinitionArn === undefined && primary
                ? { taskDefinitionArn: state.taskDefinitionArn }
                : {}),
            }
          : {}),
        updatedAt: ctx.now.getTime() / 1000,
      },
    },
  ];
};
