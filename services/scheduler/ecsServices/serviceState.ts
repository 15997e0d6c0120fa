import type { PlacementConstraint, PlacementStrategy } from "../../../shared/domain/placement.js";
import type {
  DeploymentConfiguration,
  DomainEvent,
  SchedulingStrategy,
  ServiceCreated,
  ServiceStopReason,
} from "../../../shared/events/index.js";
import type { CapacityProviderStrategy } from "../../../shared/domain/capacityProviders/strategy.js";
import { eventsOfTypes, type Aggregate } from "../../../shared/aggregate/decider.js";

export type RolloutState = "IN_PROGRESS" | "COMPLETED" | "FAILED";

export interface Deployment {
  readonly id: string;
  readonly status: "PRIMARY" | "ACTIVE";
  readonly taskDefinitionArn: string;
  readonly rolloutState: RolloutState;
  readonly createdAt: number;
}

export interface ServiceState {
  readonly status: "NONE" | "ACTIVE" | "DRAINING" | "INACTIVE";
  readonly created?: ServiceCreated;
  readonly desiredCount: number;
  readonly taskDefinitionArn: string;
  /** Its launch type; undefined while it runs through a capacity provider strategy. */
  readonly launchType?: "EC2" | "FARGATE" | undefined;
  /** The resolved strategy its tasks are split by; empty: by `launchType` (EC2 when none). */
  readonly capacityProviderStrategy: CapacityProviderStrategy;
  readonly schedulingStrategy: SchedulingStrategy;
  readonly deploymentConfiguration: DeploymentConfiguration;
  readonly placementConstraints: readonly PlacementConstraint[];
  readonly placementStrategy: readonly PlacementStrategy[];
  readonly healthCheckGracePeriodSeconds?: number | undefined;
  /** PRIMARY first, then ACTIVE ones newest first. */
  readonly deployments: readonly Deployment[];
  /** The last deployment that COMPLETED: where a circuit-breaker rollback goes. */
  readonly lastCompleted?: { readonly deploymentId: string; readonly taskDefinitionArn: string };
  /** "has reached a steady state." was recorded and nothing changed since. */
  readonly steady: boolean;
  /** The consecutive-failure count the last throttle event was recorded for. */
  readonly throttledAt?: { readonly consecutiveFailures: number; readonly until: number };
  readonly lastPlacementFailure?: { readonly message: string; readonly at: number };
  /** Tasks whose targets are draining before they stop: why, and since when. */
  readonly draining: ReadonlyMap<
    string,
    { readonly reason: ServiceStopReason; readonly since: number }
  >;
}

const isServiceEvent = eventsOfTypes(
  "ServiceCreated",
  "ServiceUpdated",
  "ServiceTasksStarted",
  "ServiceTasksStopped",
  "ServiceTasksDraining",
  "ServiceTaskPlacementFailed",
  "ServiceTaskLaunchThrottled",
  "ServiceDeploymentCompleted",
  "ServiceDeploymentFailed",
  "ServiceDeploymentsRetired",
  "ServiceSteadyStateReached",
  "ServiceDeleted",
  "ServiceInactivated",
);

const INITIAL: ServiceState = {
  status: "NONE",
  desiredCount: 0,
  taskDefinitionArn: "",
  capacityProviderStrategy: [],
  schedulingStrategy: "REPLICA",
  deploymentConfiguration: {
    minimumHealthyPercent: 100,
    maximumPercent: 200,
    deploymentCircuitBreaker: { enable: false, rollback: false },
  },
  placementConstraints: [],
  placementStrategy: [],
  deployments: [],
  steady: false,
  draining: new Map(),
};

/**
 * `id` becomes the PRIMARY deployment (IN_PROGRESS); every other one becomes
 * ACTIVE. A rollback names a deployment already in the list: it moves to the
 * front and keeps its tasks.
 */
const withPrimary = (
  deployments: readonly Deployment[],
  id: string,
  taskDefinitionArn: string,
  at: number,
): Deployment[] => {
  const existing = deployments.find((d) => d.id === id);
  return [
    {
      id,
      status: "PRIMARY",
      taskDefinitionArn,
      rolloutState: "IN_PROGRESS",
      createdAt: existing?.createdAt ?? at,
    },
    ...deployments.filter((d) => d.id !== id).map((d) => ({ ...d, status: "ACTIVE" as const })),
  ];
};

const setRollout = (
  deployments: readonly Deployment[],
  id: string,
  rolloutState: RolloutState,
): Deployment[] => deployments.map((d) => (d.id === id ? { ...d, rolloutState } : d));

export const serviceAggregate: Aggregate<ServiceState> = {
  initialState: INITIAL,
  evolve(state, event: DomainEvent): ServiceState {
    if (!isServiceEvent(event)) return state;
    switch (event.type) {
      case "ServiceCreated": {
        const e = event.data;
        return {
          ...INITIAL,
          status: "ACTIVE",
          created: e,
          desiredCount: e.desiredCount,
          taskDefinitionArn: e.taskDefinitionArn,
          launchType:
            e.launchType ?? ((e.capacityProviderStrategy ?? []).length > 0 ? undefined : "EC2"),
          capacityProviderStrategy: e.capacityProviderStrategy ?? [],
          schedulingStrategy: e.schedulingStrategy,
          deploymentConfiguration: e.deploymentConfiguration,
          placementConstraints: e.placementConstraints,
          placementStrategy: e.placementStrategy,
          healthCheckGracePeriodSeconds: e.healthCheckGracePeriodSeconds,
          deployments: withPrimary([], e.deploymentId, e.taskDefinitionArn, e.createdAt),
        };
      }
      case "ServiceUpdated": {
        const e = event.data;
        const taskDefinitionArn = e.taskDefinitionArn ?? state.taskDefinitionArn;
        return {
          ...state,
          desiredCount: e.desiredCount ?? state.desiredCount,
          taskDefinitionArn,
          deploymentConfiguration: e.deploymentConfiguration ?? state.deploymentConfiguration,
          placementConstraints: e.placementConstraints ?? state.placementConstraints,
          placementStrategy: e.placementStrategy ?? state.placementStrategy,
          healthCheckGracePeriodSeconds:
            e.healthCheckGracePeriodSeconds ?? state.healthCheckGracePeriodSeconds,
          ...(e.capacityProviderStrategy === undefined
            ? {}
            : {
                capacityProviderStrategy: e.capacityProviderStrategy,
                launchType:
                  e.capacityProviderStrategy.length > 0
                    ? undefined
                    : (e.launchType ?? state.launchType ?? "EC2"),
              }),
          deployments:
            e.deploymentId === undefined
              ? state.deployments
              : withPrimary(state.deployments, e.deploymentId, taskDefinitionArn, e.updatedAt),
          steady: false,
          ...(e.deploymentId === undefined ? {} : { throttledAt: undefined }),
        };
      }
      case "ServiceTasksStarted":
        return { ...state, steady: false };
      case "ServiceTasksStopped": {
        if (!event.data.taskArns.some((t) => state.draining.has(t))) {
          return { ...state, steady: false };
        }
        const draining = new Map(state.draining);
        for (const t of event.data.taskArns) draining.delete(t);
        return { ...state, steady: false, draining };
      }
      case "ServiceTasksDraining": {
        const draining = new Map(state.draining);
        for (const t of event.data.taskArns) {
          draining.set(t, { reason: event.data.reason, since: event.data.at });
        }
        return { ...state, steady: false, draining };
      }
      case "ServiceTaskPlacementFailed":
        return {
          ...state,
          lastPlacementFailure: { message: event.data.message, at: event.data.at },
        };
      case "ServiceTaskLaunchThrottled":
        return {
          ...state,
          throttledAt: {
            consecutiveFailures: event.data.consecutiveFailures,
            until: event.data.until,
          },
        };
      case "ServiceDeploymentCompleted": {
        const d = state.deployments.find((x) => x.id === event.data.deploymentId);
        return {
          ...state,
          deployments: setRollout(state.deployments, event.data.deploymentId, "COMPLETED"),
          ...(d
            ? { lastCompleted: { deploymentId: d.id, taskDefinitionArn: d.taskDefinitionArn } }
            : {}),
        };
      }
      case "ServiceDeploymentFailed": {
        const e = event.data;
        const failed = setRollout(state.deployments, e.deploymentId, "FAILED");
        if (!e.rollback) return { ...state, deployments: failed, steady: false };
        return {
          ...state,
          taskDefinitionArn: e.rollback.taskDefinitionArn,
          deployments: withPrimary(
            failed,
            e.rollback.deploymentId,
            e.rollback.taskDefinitionArn,
            e.at,
          ),
          steady: false,
          throttledAt: undefined,
        };
      }
      case "ServiceDeploymentsRetired": {
        const gone = new Set(event.data.deploymentIds);
        return { ...state, deployments: state.deployments.filter((d) => !gone.has(d.id)) };
      }
      case "ServiceSteadyStateReached":
        return { ...state, steady: true };
      case "ServiceDeleted":
        return { ...state, status: "DRAINING", desiredCount: 0, steady: false };
      case "ServiceInactivated":
        return { ...state, status: "INACTIVE", steady: false };
      default: {
        const _exhaustive: never = event;
        return state;
      }
    }
  },
};

export const primaryDeployment = (state: ServiceState): Deployment | undefined =>
  state.deployments.find((d) => d.status === "PRIMARY");
