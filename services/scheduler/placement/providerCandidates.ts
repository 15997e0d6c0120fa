import {
  AUTOSCALING_GROUP_ATTRIBUTE,
  autoScalingGroupNameOf,
  isManagedPool,
  launchTypeOfProvider,
  poolClusterName,
} from "../../../shared/domain/capacityProviders/managedPools.js";
import type { SchedulerContext } from "../context.js";
import { loadCluster, type ClusterView } from "../serviceScheduler/loadCluster.js";

/** Where one provider's tasks can go, as placement sees it. */
export interface ProviderCandidates {
  /** The capacity provider; undefined: the cluster's own instances (a plain EC2 launch). */
  readonly provider?: string | undefined;
  /** The launch type its tasks report: FARGATE on a managed pool, EC2 otherwise. */
  readonly launchType: "EC2" | "FARGATE";
  readonly view: ClusterView;
}

const EMPTY: ClusterView = { instances: new Map(), candidates: [] };

/**
 * The candidates whose ARNs `keep` accepts; of the instances, those and every
 * INACTIVE one (its attributes are not loaded; a task on it is lost whatever
 * its group was).
 */
const restrictView = (view: ClusterView, keep: (arn: string) => boolean): ClusterView => ({
  instances: new Map(
    [...view.instances].filter(([arn, i]) => keep(arn) || i.status === "INACTIVE"),
  ),
  candidates: view.candidates.filter((c) => keep(c.containerInstanceArn)),
});

/**
 * The instances a provider's share of a launch is placed on:
 * - no provider: the cluster's own instances (EC2, as before capacity providers);
 * - FARGATE / FARGATE_SPOT: the managed pool's instances (its reserved cluster,
 *   `poolClusterName(pool)`, shared by every cluster);
 * - an instance-based provider: the cluster's instances whose
 *   `flotilla.autoscaling-group` attribute names the provider's Auto Scaling
 *   group (none when the provider is unknown or not ACTIVE).
 *
 * `viewOf` reads a cluster's view (the service controller passes its per-pass
 * cache, so a pass reads each cluster and pool once, not once per service and
 * provider).
 */
export const loadProviderCandidates = async (
  ctx: SchedulerContext,
  clusterName: string,
  provider: string | undefined,
  viewOf: (clusterName: string) => Promise<ClusterView> = (name) => loadCluster(ctx, name),
): Promise<ProviderCandidates> => {
  if (provider === undefined) {
    return { launchType: "EC2", view: await viewOf(clusterName) };
  }
  if (isManagedPool(provider)) {
    return {
      provider,
      launchType: launchTypeOfProvider(provider),
      view: await viewOf(poolClusterName(provider)),
    };
  }
  const row = await ctx.db
    .selectFrom("capacity_providers")
    .select(["status", "auto_scaling_group_arn"])
    .where("name", "=", provider)
    .executeTakeFirst();
  if (row?.status !== "ACTIVE" || !row.auto_scaling_group_arn) {
    return { provider, launchType: "EC2", view: EMPTY };
  }
  const group = autoScalingGroupNameOf(row.auto_scaling_group_arn);
  const view = await viewOf(clusterName);
  const inGroup = new Set(
    view.candidates
      .filter((c) => c.attributes[AUTOSCALING_GROUP_ATTRIBUTE] === group)
      .map((c) => c.containerInstanceArn),
  );
  return { provider, launchType: "EC2", view: restrictView(view, (arn) => inGroup.has(arn)) };
};
