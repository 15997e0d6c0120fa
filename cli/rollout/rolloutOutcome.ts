import type { EcsService } from "../ecsShapes.js";

/**
 * Where a watched deployment stands:
 * - `inProgress`: still rolling out;
 * - `completed`: its rollout reached COMPLETED;
 * - `failed`: the circuit breaker marked it FAILED (and, with rollback, another
 *   deployment is PRIMARY again: `rolledBackTo`);
 * - `replaced`: it left the service without a recorded failure (a newer deployment took over);
 * - `serviceGone`: the service was deleted;
 * - `timedOut`: still in progress when the wait ran out.
 */
export type RolloutOutcome =
  | { readonly kind: "inProgress" }
  | { readonly kind: "completed" }
  | { readonly kind: "failed"; readonly reason: string; readonly rolledBackTo?: string }
  | { readonly kind: "replaced"; readonly by?: string }
  | { readonly kind: "serviceGone"; readonly status: string }
  | { readonly kind: "timedOut"; readonly seconds: number };

export type FinalOutcome = Exclude<RolloutOutcome, { kind: "inProgress" }>;

/** `nomad job run`'s convention: 0 the rollout completed, 1 it failed or rolled back, 2 timeout. */
export const exitCodeOf = (outcome: FinalOutcome): 0 | 1 | 2 => {
  switch (outcome.kind) {
    case "completed":
      return 0;
    case "failed":
    case "replaced":
    case "serviceGone":
      return 1;
    case "timedOut":
      return 2;
    default: {
      const _exhaustive: never = outcome;
      return 1;
    }
  }
};

const failedMessage = (deploymentId: string) => `(deployment ${deploymentId}) deployment failed`;

/** The outcome of deployment `deploymentId` as one DescribeServices answer shows it. */
export const rolloutOutcome = (deploymentId: string, service: EcsService): RolloutOutcome => {
  if (service.status !== "ACTIVE") return { kind: "serviceGone", status: service.status };
  const deployment = service.deployments.find((d) => d.id === deploymentId);
  const primary = service.deployments.find((d) => d.status === "PRIMARY");
  const rolledBackTo = primary && primary.id !== deploymentId ? primary.id : undefined;
  if (deployment?.rolloutState === "COMPLETED") return { kind: "completed" };
  if (deployment?.rolloutState === "FAILED") {
    return {
      kind: "failed",
      reason: deployment.rolloutStateReason ?? "the deployment failed",
      ...(rolledBackTo === undefined ? {} : { rolledBackTo }),
    };
  }
  if (deployment) return { kind: "inProgress" };
  // Gone from the list: a failed deployment whose tasks are all stopped is retired.
  if (service.events.some((e) => e.message.includes(failedMessage(deploymentId)))) {
    return {
      kind: "failed",
      reason: "tasks failed to start (circuit breaker)",
      ...(rolledBackTo === undefined ? {} : { rolledBackTo }),
    };
  }
  return { kind: "replaced", ...(rolledBackTo === undefined ? {} : { by: rolledBackTo }) };
};

/** The closing line of `deploy --wait`. */
export const describeOutcome = (deploymentId: string, outcome: FinalOutcome): string => {
  switch (outcome.kind) {
    case "completed":
      return `deployment ${deploymentId} completed`;
    case "failed":
      return (
        `deployment ${deploymentId} FAILED: ${outcome.reason}` +
        (outcome.rolledBackTo === undefined ? "" : `; rolled back to ${outcome.rolledBackTo}`)
      );
    case "replaced":
      return `deployment ${deploymentId} was replaced${outcome.by === undefined ? "" : ` by ${outcome.by}`} before it completed`;
    case "serviceGone":
      return `the service is ${outcome.status}: it was deleted during the deployment`;
    case "timedOut":
      return `deployment ${deploymentId} still in progress after ${outcome.seconds}s (timeout; it goes on)`;
    default: {
      const _exhaustive: never = outcome;
      return "";
    }
  }
};

/**
 * A scale's end: the service runs `count` tasks, none pending, in one
 * deployment; a failure of the deployment ends it too.
 */
export const scaleOutcome = (
  deploymentId: string,
  count: number,
  service: EcsService,
): RolloutOutcome => {
  const rollout = rolloutOutcome(deploymentId, service);
  if (rollout.kind !== "inProgress" && rollout.kind !== "completed") return rollout;
  const steady =
    service.runningCount === count &&
    service.pendingCount === 0 &&
    service.deployments.length === 1;
  return steady ? { kind: "completed" } : { kind: "inProgress" };
};
