/**
 * The managed capacity pools behind the FARGATE and FARGATE_SPOT capacity
 * providers (docs/capacity-providers.md). A pool is a set of agents started
 * with `FLOTILLA_AGENT_POOL=<provider>`; they register into a reserved
 * cluster of the pool's own, shared by every cluster, and are never listed
 * among a user cluster's container instances. The reserved name holds dots,
 * which ECS cluster names cannot, so no user cluster can ever take it.
 */
export const MANAGED_POOLS = ["FARGATE", "FARGATE_SPOT"] as const;
export type ManagedPool = (typeof MANAGED_POOLS)[number];

export const isManagedPool = (provider: string): provider is ManagedPool =>
  (MANAGED_POOLS as readonly string[]).includes(provider);

const PREFIX = "flotilla.pool.";

/** The reserved cluster a pool's agents register into: `flotilla.pool.FARGATE`. */
export const poolClusterName = (pool: ManagedPool): string => `${PREFIX}${pool}`;

/** The pool whose reserved cluster this is, if it is one. */
export const poolOfCluster = (clusterName: string): ManagedPool | undefined => {
  if (!clusterName.startsWith(PREFIX)) return undefined;
  const pool = clusterName.slice(PREFIX.length);
  return isManagedPool(pool) ? pool : undefined;
};

/** True for a pool's reserved cluster: hidden from ListClusters and DescribeClusters. */
export const isPoolCluster = (clusterName: string): boolean =>
  poolOfCluster(clusterName) !== undefined;

/**
 * The launch type a task placed through this provider reports: FARGATE for
 * the managed pools, EC2 for an instance-based (Auto Scaling group) provider.
 */
export const launchTypeOfProvider = (provider: string): "FARGATE" | "EC2" =>
  isManagedPool(provider) ? "FARGATE" : "EC2";

/**
 * The container instance attribute that puts an instance in an instance-based
 * capacity provider's group: a provider whose `autoScalingGroupArn` ends in
 * `autoScalingGroupName/<name>` takes the cluster's instances whose attribute
 * has the value `<name>` (the agent sets it from FLOTILLA_AGENT_AUTOSCALING_GROUP;
 * PutAttributes can set it too).
 */
export const AUTOSCALING_GROUP_ATTRIBUTE = "flotilla.autoscaling-group";

/** `arn:aws:autoscaling:…:autoScalingGroupName/web-asg` → `web-asg`; a bare name stays itself. */
export const autoScalingGroupNameOf = (arnOrName: string): string => {
  const at = arnOrName.lastIndexOf("autoScalingGroupName/");
  return at === -1 ? arnOrName : arnOrName.slice(at + "autoScalingGroupName/".length);
};

/** The platform version a FARGATE task reports (DescribeTasks, "ECS Task State Change"). */
export const FARGATE_PLATFORM_VERSION = "1.4.0";
