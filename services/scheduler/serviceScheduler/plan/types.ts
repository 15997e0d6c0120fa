import type { CapacityProviderStrategy } from "../../../../shared/domain/capacityProviders/strategy.js";
import type { Capacity } from "../../../../shared/domain/resources.js";
import type { DomainEvent, ServiceStopReason } from "../../../../shared/events/index.js";
import type { PlacementCandidate } from "../../placement/index.js";
import type { ServiceState } from "../../ecsServices/serviceState.js";

/** One task of the service as the planner sees it (from the tasks read model). */
export interface ServiceTask {
  readonly taskArn: string;
  /** The deployment that started it (the task's `startedBy`). */
  readonly deploymentId: string;
  readonly containerInstanceArn: string;
  readonly lastStatus: string;
  readonly desiredStatus: "RUNNING" | "STOPPED";
  readonly healthStatus: "HEALTHY" | "UNHEALTHY" | "UNKNOWN";
  /** Epoch seconds; absent until the task reached RUNNING. */
  readonly startedAt?: number | undefined;
  readonly stoppedAt?: number | undefined;
  readonly stopCode?: string | undefined;
  readonly stoppedReason?: string | undefined;
  readonly createdAt: number;
  /** The capacity provider it was placed through (absent for a launch-type task). */
  readonly capacityProviderName?: string | undefined;
  /** Host ports its containers bind (bridge mode), for load balancer targets. */
  readonly bindings?: readonly TaskBinding[] | undefined;
  /** Its targets in target groups, until they drained. */
  readonly targets?: readonly TaskTarget[] | undefined;
}

export interface TaskBinding {
  readonly containerName: string;
  readonly containerPort: number;
  readonly hostPort: number;
}

export interface TaskTarget {
  readonly targetGroupArn: string;
  readonly id: string;
  readonly port: number;
  readonly state: "initial" | "healthy" | "unhealthy" | "draining";
}

/** The instance a task is on, as far as the service scheduler cares. */
export interface InstanceView {
  readonly status: "ACTIVE" | "DRAINING" | "INACTIVE";
  readonly agentConnected: boolean;
  /** The EC2-style id a load balancer target names. */
  readonly ec2InstanceId?: string | undefined;
}

/** Tunables of the service scheduler (config, so tests can make them fast). */
export interface ServiceSchedulerSettings {
  /** Consecutive tasks that stopped before RUNNING before launches are throttled. */
  readonly throttleAfterFailures: number;
  readonly throttleBaseSeconds: number;
  readonly throttleMaxSeconds: number;
  /** A repeated placement failure is recorded again after this long. */
  readonly placementFailureRepeatSeconds: number;
  /**
   * Most new tasks one step starts (REPLICA); the next step starts more at once. A step
   * is one transaction that holds its instances' rows until it commits: 1,000 tasks at
   * once kept every agent waiting for seconds (docs/performance.md). None: no limit.
   */
  readonly maxStartsPerStep?: number;
}

export const DEFAULT_SETTINGS: ServiceSchedulerSettings = {
  throttleAfterFailures: 3,
  throttleBaseSeconds: 10,
  throttleMaxSeconds: 27 * 60,
  placementFailureRepeatSeconds: 300,
  maxStartsPerStep: 500,
};

/**
 * Where a service's new tasks go when it runs through capacity providers (or
 * the FARGATE launch type): each step's new tasks are split by `strategy`
 * (newTasksByProvider, counting the tasks already there by provider) and each
 * share is placed only on its provider's candidates.
 */
export interface ProviderPlacement {
  /** One item per provider; a FARGATE launch-type service: `FARGATE`, weight 1. */
  readonly strategy: CapacityProviderStrategy;
  /** Each candidate's provider, by instance ARN; a candidate not here takes no new task. */
  readonly providerOf: ReadonlyMap<string, string>;
  /** How a task counts toward a provider: its capacityProviderName, else this (launch type). */
  readonly launchTypeProvider?: string | undefined;
}

export interface PlanInput {
  readonly service: ServiceState;
  /**
   * The service's tasks: every one not yet STOPPED, and the most recently
   * stopped ones (newest first is not required), for failure counting.
   */
  readonly tasks: readonly ServiceTask[];
  /** Instances of the cluster by ARN; a task whose instance is missing is on a lost instance. */
  readonly instances: ReadonlyMap<string, InstanceView>;
  /**
   * Placement's view of the cluster (ACTIVE and DRAINING instances with their
   * tasks), and of the service's providers' instances (managed pools).
   */
  readonly candidates: readonly PlacementCandidate[];
  /** Capacity providers: absent, every new task may go on any candidate (EC2 launch type). */
  readonly providers?: ProviderPlacement | undefined;
  /** Deployments whose task definition gives an essential container a health check. */
  readonly healthChecked: ReadonlySet<string>;
  /** What each new task of the PRIMARY deployment needs (cpu, memory, host ports). */
  readonly need: Capacity;
  /** Host-access attributes its task definition requires (placement's ATTRIBUTE filter). */
  readonly requiredAttributes?: readonly string[];
  readonly now: number;
  /** Seeds `random` placement: the service ARN and stream version make it replayable. */
  readonly seed: string;
  readonly settings: ServiceSchedulerSettings;
  /** The service's target groups' deregistration delays (seconds), by ARN. */
  readonly targetGroups?: ReadonlyMap<string, { readonly deregistrationDelaySeconds: number }>;
}

/** Targets to register or deregister in one target group. */
export interface TargetChange {
  readonly targetGroupArn: string;
  readonly targets: readonly { readonly id: string; readonly port: number }[];
  /** The task behind each target (registrations only). */
  readonly taskArns?: readonly string[];
}

export interface StopOrder {
  readonly reason: ServiceStopReason;
  readonly taskArns: readonly string[];
}

/** What one reconcile step does. Empty lists and no events: nothing to do. */
export interface ServicePlan {
  /** New tasks of `deploymentId`, one per entry, on these instances (placement decided). */
  readonly start?: { readonly deploymentId: string; readonly instances: readonly string[] };
  readonly stop: readonly StopOrder[];
  /** Tasks to take out of their target groups first; they stop once drained. */
  readonly drain?: readonly StopOrder[];
  readonly register?: readonly TargetChange[];
  /** Targets of tasks already gone (stopped, lost) still registered. */
  readonly deregister?: readonly TargetChange[];
  /** Service events that record decisions (placement failure, throttle, rollout, steady state…). */
  readonly events: readonly DomainEvent[];
}
