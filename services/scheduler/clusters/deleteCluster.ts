import { EcsError, clusterNotFound } from "../../../shared/domain/errors.js";
import type { DomainEvent } from "../../../shared/events/index.js";
import type { DecisionContext } from "../../../shared/aggregate/decider.js";
import { isPoolCluster } from "../../../shared/domain/capacityProviders/managedPools.js";
import type { ClusterState } from "./clusterState.js";

export interface DeleteClusterCommand {
  readonly cluster: string;
  /** How many of the cluster's services are ACTIVE or DRAINING (read by the handler). */
  readonly activeServices?: number;
}

export const clusterContainsServices = (): EcsError =>
  new EcsError(
    "ClusterContainsServicesException",
    "The Cluster cannot be deleted while Services are active.",
    { retryable: false },
  );

/**
 * DeleteCluster: the cluster goes INACTIVE, unless services are still ACTIVE
 * or DRAINING in it. Refusals for clusters that still hold container
 * instances or tasks come with those resources.
 */
export const decideDeleteCluster = (
  command: DeleteClusterCommand,
  state: ClusterState,
  ctx: DecisionContext,
): DomainEvent[] => {
  // A managed pool's reserved cluster is no user's to delete (and is never listed).
  if (state.status !== "ACTIVE" || isPoolCluster(state.clusterName ?? "")) throw clusterNotFound();
  if ((command.activeServices ?? 0) > 0) throw clusterContainsServices();
  return [
    {
      type: "ClusterDeleted",
      data: {
        clusterName: state.clusterName!,
        clusterArn: state.clusterArn!,
        deletedAt: ctx.now.toISOString(),
      },
    },
  ];
};
