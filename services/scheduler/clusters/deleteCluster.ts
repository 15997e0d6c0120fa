import { clusterNotFound } from "../../../shared/domain/errors.js";
import type { DomainEvent } from "../../../shared/events/index.js";
import type { DecisionContext } from "../decider.js";
import type { ClusterState } from "./clusterState.js";

/**
 * DeleteCluster: the cluster goes INACTIVE. Refusals for clusters that still
 * hold container instances, services or tasks come with those resources.
 */
export const decideDeleteCluster = (
  _command: { cluster: string },
  state: ClusterState,
  ctx: DecisionContext,
): DomainEvent[] => {
  if (state.status !== "ACTIVE") throw clusterNotFound();
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
