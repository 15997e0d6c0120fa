import type { PlacementConstraint, PlacementStrategy } from "../../../shared/domain/placement.js";
import type { Capacity } from "../../../shared/domain/resources.js";

/** A task already on (or just placed on) a container instance. */
export interface CandidateTask {
  readonly taskArn: string;
  /** ECS task group: `service:<name>` for service tasks, `family:<name>` by default. */
  readonly group: string;
  readonly taskDefinitionArn: string;
  /** What the task reserves; lets scale-in rank instances by what stopping it frees. */
  readonly reserved?: Capacity | undefined;
}

export type InstanceStatus = "ACTIVE" | "DRAINING" | "INACTIVE";

/** One container instance as the placement engine sees it: a plain value, no I/O. */
export interface PlacementCandidate {
  readonly containerInstanceArn: string;
  readonly ec2InstanceId: string;
  readonly status: InstanceStatus;
  readonly agentConnected: boolean;
  /** Attribute name → value (`ecs.availability-zone`, `ecs.instance-type`, custom ones). */
  readonly attributes: Readonly<Record<string, string | undefined>>;
  readonly registered: Capacity;
  /** Registered minus reservations; its port lists are the host ports already in use. */
  readonly remaining: Capacity;
  readonly runningTasksCount: number;
  readonly tasks: readonly CandidateTask[];
  /** For the query language's `registeredAt` and `agentVersion` subjects. */
  readonly registeredAt?: string | undefined;
  readonly agentVersion?: string | undefined;
}

export { PlacementConstraint, PlacementStrategy } from "../../../shared/domain/placement.js";

/** Where to put `count` tasks that each need `need`. */
export interface PlacementRequest {
  readonly need: Capacity;
  /** The task group the new tasks join (spread and distinctInstance count within it). */
  readonly group: string;
  readonly count: number;
  /** Empty: no preference (ties broken by ARN). Services pass DEFAULT_SERVICE_STRATEGIES. */
  readonly strategies: readonly PlacementStrategy[];
  readonly constraints: readonly PlacementConstraint[];
  /** Seeds `random`, so replaying the log reproduces the decision. */
  readonly seed: string | number;
  readonly taskDefinitionArn?: string | undefined;
  /**
   * Attributes every chosen instance must have registered: the task definition's
   * host-access `requiresAttributes` (hostAccessAttributes). Empty or absent: none.
   */
  readonly requiredAttributes?: readonly string[] | undefined;
}

/** ECS's failure codes (RunTask `failures[].reason`) next to the service-event wording. */
export type MissingCode =
  | "RESOURCE:CPU"
  | "RESOURCE:MEMORY"
  | "RESOURCE:PORTS"
  | "AGENT"
  | "ATTRIBUTE"
  | "INSTANCE_STATUS"
  | "CONSTRAINT:distinctInstance"
  | "CONSTRAINT:memberOf";

export interface PlacementFailure {
  /** "No Container Instances were found in your cluster." or "no container instance met all of its requirements." */
  readonly reason: string;
  /** The instance that got furthest through the filter chain and what stopped it there. */
  readonly closest?: {
    readonly arn: string;
    /** ECS's wording, to follow the instance id: "has insufficient memory available". */
    readonly missing: string;
    readonly code: MissingCode;
  };
}

/** One entry per requested task: `placements.length + failures.length === count`. */
export interface PlacementDecision {
  /** Container instance ARN of each placed task, in placement order (may repeat). */
  readonly placements: readonly string[];
  readonly failures: readonly PlacementFailure[];
}
