import { clusterArn } from "../../../shared/domain/arn.js";
import { EcsError } from "../../../shared/domain/errors.js";
import { validateTags } from "../../../shared/domain/tags/tag.js";
import type { PayloadOf } from "../../../shared/bus/index.js";
import type { CreateCluster } from "../../../shared/commands/scheduler/index.js";
import type { DomainEvent } from "../../../shared/events/index.js";
import type { DecisionContext } from "../../../shared/aggregate/decider.js";
import { checkClusterCapacityProviders } from "../capacityProviders/clusterCapacityProviders.js";
import type { ClusterState } from "./clusterState.js";

export type CreateClusterCommand = PayloadOf<typeof CreateCluster> & {
  /** The names of the ACTIVE instance-based capacity providers (read by the handler). */
  readonly activeCapacityProviders?: ReadonlySet<string>;
};

export const CLUSTER_NAME = /^[a-zA-Z0-9_-]{1,255}$/;

export const clusterNameOf = (command: CreateClusterCommand): string =>
  command.clusterName ?? "default";

/**
 * CreateCluster is idempotent, as in ECS: an ACTIVE cluster of that name is
 * returned unchanged. An INACTIVE (deleted) one is created anew.
 */
export const decideCreateCluster = (
  command: CreateClusterCommand,
  state: ClusterState,
  ctx: DecisionContext,
): DomainEvent[] => {
  const name = clusterNameOf(command);
  if (!CLUSTER_NAME.test(name)) {
    throw new EcsError(
      "InvalidParameterException",
      "clusterName: up to 255 letters (uppercase and lowercase), numbers, underscores, and hyphens are allowed.",
    );
  }
  validateTags(command.tags ?? []);
  const providers = checkClusterCapacityProviders(
    command.capacityProviders ?? [],
    command.defaultCapacityProviderStrategy ?? [],
    command.activeCapacityProviders ?? new Set(),
  );
  if (state.status === "ACTIVE") return [];
  return [
    {
      type: "ClusterCreated",
      data: {
        clusterName: name,
        clusterArn: clusterArn(ctx.arn, name),
        settings: command.settings ?? [{ name: "containerInsights", value: "disabled" }],
        ...(command.configuration === undefined ? {} : { configuration: command.configuration }),
        ...providers,
        ...(command.serviceConnectDefaults === undefined
          ? {}
          : { serviceConnectDefaults: command.serviceConnectDefaults }),
        tags: (command.tags ?? []).map((t) => ({ key: t.key, value: t.value ?? "" })),
        createdAt: ctx.now.toISOString(),
      },
    },
  ];
};
