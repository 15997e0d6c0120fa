/**
 * The parts of ECS's answers the CLI reads (DescribeServices, DescribeTasks,
 * DescribeContainerInstances), as the api sends them: times in epoch seconds.
 */
export interface EcsDeployment {
  readonly id: string;
  readonly status: string;
  readonly taskDefinition: string;
  readonly desiredCount: number;
  readonly pendingCount: number;
  readonly runningCount: number;
  readonly failedTasks?: number;
  readonly rolloutState?: string;
  readonly rolloutStateReason?: string;
  readonly createdAt?: number;
  readonly updatedAt?: number;
}

export interface EcsServiceEvent {
  readonly id: string;
  readonly createdAt: number;
  readonly message: string;
}

export interface EcsService {
  readonly serviceArn: string;
  readonly serviceName: string;
  readonly clusterArn?: string;
  readonly status: string;
  readonly taskDefinition: string;
  readonly desiredCount: number;
  readonly runningCount: number;
  readonly pendingCount: number;
  readonly deployments: readonly EcsDeployment[];
  readonly events: readonly EcsServiceEvent[];
  readonly [field: string]: unknown;
}

export interface EcsTask {
  readonly taskArn: string;
  readonly taskDefinitionArn: string;
  readonly lastStatus: string;
  readonly desiredStatus: string;
  readonly healthStatus?: string;
  readonly startedBy?: string;
  readonly containerInstanceArn?: string;
  readonly stoppedReason?: string;
  readonly containers?: readonly { readonly name: string; readonly healthStatus?: string }[];
}

export interface EcsFailure {
  readonly arn?: string;
  readonly reason?: string;
}

/** The last segment of an ARN: `…:task/default/4f2c…` → `4f2c…`. */
export const lastSegment = (arn: string): string => arn.slice(arn.lastIndexOf("/") + 1);

/** `…:task-definition/web:3` → `web:3`. */
export const familyRevision = (arn: string): string => lastSegment(arn);
