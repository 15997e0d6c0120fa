import {
  capacityProviderNotFound,
  resolveAutoScalingGroupProvider,
  validateCapacityProviderName,
  type AutoScalingGroupProvider,
  type AutoScalingGroupProviderUpdate,
} from "../../../shared/domain/capacityProviders/capacityProvider.js";
import { capacityProviderArn } from "../../../shared/domain/capacityProviders/capacityProvider.js";
import { isManagedPool } from "../../../shared/domain/capacityProviders/managedPools.js";
import { EcsError } from "../../../shared/domain/errors.js";
import { validateTags, type Tag } from "../../../shared/domain/tags/tag.js";
import type { DomainEvent } from "../../../shared/events/index.js";
import type { DecisionContext } from "../../../shared/aggregate/decider.js";
import type { CapacityProviderState } from "./capacityProviderState.js";

export interface CreateCapacityProviderCommand {
  readonly name: string;
  readonly autoScalingGroupProvider: AutoScalingGroupProvider;
  readonly tags?: readonly Tag[] | undefined;
  /** Another ACTIVE provider with the same group (read by the handler), if one has it. */
  readonly groupTakenBy?: string | undefined;
}

const client = (message: string): EcsError => new EcsError("ClientException", message);

/** A name is taken while its provider is ACTIVE; a deleted (INACTIVE) one's name may be reused. */
export const decideCreateCapacityProvider = (
  command: CreateCapacityProviderCommand,
  state: CapacityProviderState,
  ctx: DecisionContext,
): DomainEvent[] => {
  validateCapacityProviderName(command.name);
  validateTags(command.tags ?? []);
  if (state.status === "ACTIVE") {
    throw client(
      "name: The specified capacity provider already exists. To change the configuration of an existing capacity provider, update the capacity provider.",
    );
  }
  if (command.groupTakenBy !== undefined) {
    throw client(
      "autoScalingGroupProvider.autoScalingGroupArn: The specified Auto Scaling group ARN is already being used by another capacity provider. Specify a unique Auto Scaling group ARN and try again.",
    );
  }
  return [
    {
      type: "CapacityProviderCreated",
      data: {
        name: command.name,
        capacityProviderArn: capacityProviderArn(ctx.arn, command.name),
        autoScalingGroupProvider: resolveAutoScalingGroupProvider(command.autoScalingGroupProvider),
        tags: (command.tags ?? []).map((t) => ({ key: t.key, value: t.value ?? "" })),
        createdAt: ctx.now.toISOString(),
      },
    },
  ];
};

const reserved = (name: string, what: string): EcsError =>
  client(`The ${name} capacity provider is reserved and cannot be ${what}.`);

export interface UpdateCapacityProviderCommand {
  /** The provider's name (the handler resolves an ARN). */
  readonly name: string;
  readonly autoScalingGroupProvider: AutoScalingGroupProviderUpdate;
}

/** Changes managed scaling, termination protection or draining; an update that changes nothing appends nothing. */
export const decideUpdateCapacityProvider = (
  command: UpdateCapacityProviderCommand,
  state: CapacityProviderState,
  ctx: DecisionContext,
): DomainEvent[] => {
  if (isManagedPool(command.name)) throw reserved(command.name, "updated");
  if (state.status !== "ACTIVE") throw capacityProviderNotFound("name", command.name);
  const current = state.autoScalingGroupProvider!;
  const next = resolveAutoScalingGroupProvider(
    { ...command.autoScalingGroupProvider, autoScalingGroupArn: current.autoScalingGroupArn },
    current,
  );
  if (JSON.stringify(next) === JSON.stringify(current)) return [];
  return [
    {
      type: "CapacityProviderUpdated",
      data: {
        name: state.name!,
        capacityProviderArn: state.capacityProviderArn!,
        autoScalingGroupProvider: next,
        updatedAt: ctx.now.toISOString(),
      },
    },
  ];
};

export interface DeleteCapacityProviderCommand {
  readonly name: string;
  /** The ACTIVE clusters that have the provider (read by the handler). */
  readonly associatedClusters: readonly string[];
}

/**
 * Only a provider no cluster has can be deleted, as in ECS; Flotilla refuses
 * at once where ECS would report DELETE_FAILED later.
 */
export const decideDeleteCapacityProvider = (
  command: DeleteCapacityProviderCommand,
  state: CapacityProviderState,
  ctx: DecisionContext,
): DomainEvent[] => {
  if (isManagedPool(command.name)) throw reserved(command.name, "deleted");
  if (state.status !== "ACTIVE") throw capacityProviderNotFound("capacityProvider", command.name);
  const [cluster] = command.associatedClusters;
  if (cluster !== undefined) {
    throw client(
      `capacityProvider: The capacity provider cannot be deleted because it is associated with cluster: ${cluster}. Remove the capacity provider from the cluster and try again.`,
    );
  }
  return [
    {
      type: "CapacityProviderDeleted",
      data: {
        name: state.name!,
        capacityProviderArn: state.capacityProviderArn!,
        deletedAt: ctx.now.toISOString(),
      },
    },
  ];
};
