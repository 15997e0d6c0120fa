import type { StoredDeployment } from "../db/index.js";

/**
 * How a service's deployment list changes, as pure functions over the stored
 * list (ECS's Deployment objects without their live task counts). The PRIMARY
 * deployment comes first, then the ACTIVE ones, newest first. Times are epoch
 * seconds taken from the events.
 */

/** Epoch seconds at millisecond precision, as timestamps come back from timestamptz columns. */
export const toMillisecondSeconds = (epochSeconds: number): number =>
  Math.round(epochSeconds * 1000) / 1000;

export const rolloutReason = {
  inProgress: (id: string) => `ECS deployment ${id} in progress.`,
  completed: (id: string) => `ECS deployment ${id} completed.`,
  failed: () => "ECS deployment circuit breaker: tasks failed to start.",
  rollingBack: (deploymentId: string) =>
    `ECS deployment circuit breaker: rolling back to deploymentId ${deploymentId}.`,
} as const;

export interface NewDeployment {
  readonly id: string;
  readonly taskDefinition: string;
  readonly desiredCount: number;
  /** Absent for a deployment through a capacity provider strategy. */
  readonly launchType?: string | undefined;
  /** The strategy its tasks are split by (ECS shows it on each deployment). */
  readonly capacityProviderStrategy?: StoredDeployment["capacityProviderStrategy"] | undefined;
  readonly at: number;
  /** The rolloutStateReason; "ECS deployment <id> in progress." unless given. */
  readonly reason?: string;
}

/** A new PRIMARY deployment, IN_PROGRESS; the current PRIMARY becomes ACTIVE with desiredCount 0. */
export const startDeployment = (
  deployments: readonly StoredDeployment[],
  next: NewDeployment,
): StoredDeployment[] => {
  const at = toMillisecondSeconds(next.at);
  const primary: StoredDeployment = {
    id: next.id,
    status: "PRIMARY",
    taskDefinition: next.taskDefinition,
    desiredCount: next.desiredCount,
    rolloutState: "IN_PROGRESS",
    rolloutStateReason: next.reason ?? rolloutReason.inProgress(next.id),
    failedTasks: 0,
    createdAt: at,
    updatedAt: at,
    ...(next.capacityProviderStrategy !== undefined && next.capacityProviderStrategy.length > 0
      ? { capacityProviderStrategy: next.capacityProviderStrategy }
      : { launchType: next.launchType ?? "EC2" }),
  };
  return [
    primary,
    ...deployments
      .filter((d) => d.id !== next.id)
      .map((d): StoredDeployment =>
        d.status === "PRIMARY" ? { ...d, status: "ACTIVE", desiredCount: 0, updatedAt: at } : d,
      ),
  ];
};

/** The PRIMARY deployment follows the service's desired count. */
export const setPrimaryDesiredCount = (
  deployments: readonly StoredDeployment[],
  desiredCount: number,
  at: number,
): StoredDeployment[] =>
  deployments.map((d) =>
    d.status === "PRIMARY" && d.desiredCount !== desiredCount
      ? { ...d, desiredCount, updatedAt: toMillisecondSeconds(at) }
      : d,
  );

/** A deployment's rollout finished: COMPLETED. */
export const completeDeployment = (
  deployments: readonly StoredDeployment[],
  id: string,
  at: number,
): StoredDeployment[] =>
  deployments.map((d) =>
    d.id === id
      ? {
          ...d,
          rolloutState: "COMPLETED",
          rolloutStateReason: rolloutReason.completed(id),
          updatedAt: toMillisecondSeconds(at),
        }
      : d,
  );

/** The circuit breaker tripped: the deployment is FAILED (and, with rollback, no longer PRIMARY). */
export const failDeployment = (
  deployments: readonly StoredDeployment[],
  id: string,
  failedTasks: number,
  at: number,
): StoredDeployment[] =>
  deployments.map((d) =>
    d.id === id
      ? {
          ...d,
          rolloutState: "FAILED",
          rolloutStateReason: rolloutReason.failed(),
          failedTasks,
          updatedAt: toMillisecondSeconds(at),
        }
      : d,
  );

/** Deployments with no task left leave the list. */
export const retireDeployments = (
  deployments: readonly StoredDeployment[],
  ids: readonly string[],
): StoredDeployment[] => deployments.filter((d) => !ids.includes(d.id));
