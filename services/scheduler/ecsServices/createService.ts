import { serviceArn } from "../../../shared/domain/arn.js";
import { EcsError } from "../../../shared/domain/errors.js";
import { validateTags } from "../../../shared/domain/tags/tag.js";
import type { PayloadOf } from "../../../shared/bus/index.js";
import type { CreateService } from "../../../shared/commands/scheduler/index.js";
import type { DomainEvent } from "../../../shared/events/index.js";
import type { DecisionContext } from "../../../shared/aggregate/decider.js";
import { chooseStrategy, type ResolvedStrategy } from "../placement/resolveStrategy.js";
import { normaliseStrategy, refuseDaemonProviders } from "./serviceCapacity.js";
import { validateDeploymentConfiguration, withDefaults } from "./deploymentConfiguration.js";
import { validatePlacement } from "./placementRules.js";
import type { ServiceState } from "./serviceState.js";

export type CreateServiceCommand = PayloadOf<typeof CreateService>;

export const SERVICE_NAME = /^[a-zA-Z0-9_-]{1,255}$/;

/** What the handler resolved before deciding: names, the task definition, fresh ids. */
export interface CreateServiceInputs {
  readonly clusterName: string;
  readonly taskDefinitionArn: string;
  /** Digest of the request's canonical JSON: equal requests, equal digests. */
  readonly requestDigest: string;
  readonly deploymentId: string;
  /**
   * Where its tasks run, resolved from the request and the cluster
   * (resolveStrategy: launchType, strategy, or the cluster's default).
   */
  readonly resolved?: ResolvedStrategy;
}

/**
 * CreateService. A retry with the same clientToken and the same request
 * returns the service unchanged; the same token with a different request is a
 * ConflictException; any other create of a live name is refused, as ECS does.
 */
export const decideCreateService = (
  cmd: CreateServiceCommand,
  state: ServiceState,
  inputs: CreateServiceInputs,
  ctx: DecisionContext,
): DomainEvent[] => {
  if (!SERVICE_NAME.test(cmd.serviceName)) {
    throw new EcsError(
      "InvalidParameterException",
      "serviceName: up to 255 letters (uppercase and lowercase), numbers, underscores, and hyphens are allowed.",
    );
  }
  if (state.status === "ACTIVE") {
    if (cmd.clientToken !== undefined && cmd.clientToken === state.created?.clientToken) {
      if (state.created.requestDigest === inputs.requestDigest) return [];
      throw new EcsError(
        "ConflictException",
        "The request could not be processed because of conflict in the current state of the " +
          "resource: clientToken was already used with a different CreateService request.",
      );
    }
    throw new EcsError("InvalidParameterException", "Creation of service was not idempotent.");
  }
  if (state.status === "DRAINING") {
    throw new EcsError(
      "InvalidParameterException",
      `Unable to Start a service that is still Draining: ${cmd.serviceName}.`,
    );
  }
  const strategy = cmd.schedulingStrategy ?? "REPLICA";
  // Without the cluster's providers at hand, the request's own choice (checked as ECS checks it).
  const resolved = refuseDaemonProviders(
    strategy,
    inputs.resolved ??
      chooseStrategy(cmd, {
        capacityProviders: (cmd.capacityProviderStrategy ?? []).map((i) => i.capacityProvider),
        defaultCapacityProviderStrategy: [],
      }),
  );
  if (strategy === "REPLICA" && cmd.desiredCount === undefined) {
    throw new EcsError(
      "InvalidParameterException",
      "desiredCount: The desired count is required for a REPLICA service.",
    );
  }
  if (strategy === "DAEMON" && cmd.desiredCount !== undefined && cmd.desiredCount !== 0) {
    throw new EcsError(
      "InvalidParameterException",
      "desiredCount: a DAEMON service runs one task on each instance; do not set desiredCount.",
    );
  }
  const desiredCount = strategy === "DAEMON" ? 0 : cmd.desiredCount!;
  const deploymentConfiguration = withDefaults(cmd.deploymentConfiguration, strategy);
  validateDeploymentConfiguration(deploymentConfiguration, strategy, desiredCount);
  validatePlacement(strategy, cmd.placementStrategy ?? [], cmd.placementConstraints ?? []);
  const tags = (cmd.tags ?? []).map((t) => ({ key: t.key, value: t.value ?? "" }));
  validateTags(tags);
  return [
    {
      type: "ServiceCreated",
      data: {
        clusterName: inputs.clusterName,
        serviceName: cmd.serviceName,
        serviceArn: serviceArn(ctx.arn, inputs.clusterName, cmd.serviceName),
        taskDefinitionArn: inputs.taskDefinitionArn,
        desiredCount,
        ...(resolved.kind === "launchType"
          ? { launchType: resolved.launchType }
          : { capacityProviderStrategy: normaliseStrategy(resolved.strategy) }),
        schedulingStrategy: strategy,
        deploymentConfiguration,
        placementConstraints: cmd.placementConstraints ?? [],
        placementStrategy: cmd.placementStrategy ?? [],
        ...(cmd.healthCheckGracePeriodSeconds === undefined
          ? {}
          : { healthCheckGracePeriodSeconds: cmd.healthCheckGracePeriodSeconds }),
        loadBalancers: cmd.loadBalancers ?? [],
        tags,
        ...(cmd.propagateTags === undefined ? {} : { propagateTags: cmd.propagateTags }),
        enableECSManagedTags: cmd.enableECSManagedTags ?? false,
        ...(cmd.clientToken === undefined ? {} : { clientToken: cmd.clientToken }),
        requestDigest: inputs.requestDigest,
        deploymentId: inputs.deploymentId,
        createdBy: ctx.actor,
        createdAt: ctx.now.getTime() / 1000,
      },
    },
  ];
};
