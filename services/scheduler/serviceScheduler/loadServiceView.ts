import {
  isManagedPool,
  poolClusterName,
} from "../../../shared/domain/capacityProviders/managedPools.js";
import type { SchedulerContext } from "../context.js";
import { resolvedOfService } from "../ecsServices/serviceCapacity.js";
import type { ServiceState } from "../ecsServices/serviceState.js";
import type { PlacementCandidate } from "../placement/index.js";
import { loadProviderCandidates } from "../placement/providerCandidates.js";
import { sharesOf } from "../placement/resolveStrategy.js";
import type { ClusterView } from "./loadCluster.js";
import type { InstanceView, ProviderPlacement } from "./plan/types.js";

/** Where a task placed on an instance is recorded, and what it reports. */
export interface InstancePlacement {
  /** The instance's own cluster (a managed pool's reserved one): its stream's cluster. */
  readonly clusterName: string;
  readonly launchType: "EC2" | "FARGATE";
  /** Absent for a launch-type task. */
  readonly capacityProviderName?: string | undefined;
}

/** A service's view: its cluster plus its providers' instances, and how to place on them. */
export interface ServiceView extends ClusterView {
  /** Absent: the EC2 launch type on the cluster's own instances, as before providers. */
  readonly providers?: ProviderPlacement | undefined;
  /** By instance ARN; an instance not here is the service cluster's own, EC2, no provider. */
  readonly placementOf: ReadonlyMap<string, InstancePlacement>;
}

/**
 * What the service scheduler sees of a service's capacity: every instance of
 * its cluster (its tasks from before a strategy change stay known, not lost)
 * and of every provider its strategy names (a managed pool's instances too:
 * a task whose instance is missing from `instances` is treated as lost), the
 * candidates tagged with their provider. DAEMON and EC2 launch-type services
 * see their cluster only. `viewOf` reads a cluster's (or a pool's) view: the
 * controller's per-pass cache, so the cluster is read once for the service and
 * its instance-based providers alike.
 */
export const loadServiceView = async (
  ctx: SchedulerContext,
  clusterName: string,
  service: ServiceState,
  viewOf: (clusterName: string) => Promise<ClusterView>,
): Promise<ServiceView> => {
  const own = await viewOf(clusterName);
  const resolved = resolvedOfService(service);
  if (
    service.schedulingStrategy === "DAEMON" ||
    (resolved.kind === "launchType" && resolved.launchType === "EC2")
  ) {
    return { ...own, placementOf: new Map() };
  }
  const shares = sharesOf(resolved, 0);
  const loaded = await Promise.all(
    shares.map((s) => loadProviderCandidates(ctx, clusterName, s.provider, viewOf)),
  );
  const instances = new Map<string, InstanceView>(own.instances);
  const candidates = new Map<string, PlacementCandidate>(
    own.candidates.map((c) => [c.containerInstanceArn, c]),
  );
  const providerOf = new Map<string, string>();
  const placementOf = new Map<string, InstancePlacement>();
  shares.forEach((share, i) => {
    const { view } = loaded[i]!;
    const key = share.provider ?? "";
    const pool =
      share.provider !== undefined && isManagedPool(share.provider) ? share.provider : undefined;
    for (const [arn, v] of view.instances) instances.set(arn, v);
    for (const c of view.candidates) {
      candidates.set(c.containerInstanceArn, c);
      providerOf.set(c.containerInstanceArn, key);
      placementOf.set(c.containerInstanceArn, {
        clusterName: pool ? poolClusterName(pool) : clusterName,
        launchType: share.launchType,
        ...(share.capacityProviderName === undefined
          ? {}
          : { capacityProviderName: share.capacityProviderName }),
      });
    }
  });
  const strategy =
    resolved.kind === "strategy"
      ? resolved.strategy
      : [{ capacityProvider: shares[0]!.provider ?? "", weight: 1 }];
  return {
    instances,
    candidates: [...candidates.values()],
    providers: {
      strategy,
      providerOf,
      ...(resolved.kind === "launchType" ? { launchTypeProvider: shares[0]!.provider ?? "" } : {}),
    },
    placementOf,
  };
};
