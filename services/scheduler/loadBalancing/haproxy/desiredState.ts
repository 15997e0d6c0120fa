import type { TargetHealthCheck } from "../../../../shared/events/loadBalancingEvents.js";

/** A target's recorded state (the `targets` projection). */
export type RecordedTargetState = "initial" | "healthy" | "unhealthy" | "draining";

export interface DesiredTarget {
  /** The container instance's EC2-style id. */
  readonly id: string;
  /** The host port its task binds. */
  readonly port: number;
  /** Where HAProxy reaches the instance (see `resolveInstanceAddress`). */
  readonly address: string;
  readonly state: RecordedTargetState;
  readonly reason?: string | undefined;
  /** When DeregisterTargets began its draining; undefined while registered. */
  readonly deregisteredAt?: Date | undefined;
}

export interface DesiredTargetGroup {
  readonly arn: string;
  readonly name: string;
  readonly healthCheck: TargetHealthCheck;
  readonly deregistrationDelaySeconds: number;
  readonly targets: readonly DesiredTarget[];
}

export interface DesiredListener {
  readonly port: number;
  readonly targetGroupArn: string;
}

/** What HAProxy should be doing: read from the load balancing projections. */
export interface DesiredState {
  readonly listeners: readonly DesiredListener[];
  readonly targetGroups: readonly DesiredTargetGroup[];
}

export const EMPTY_DESIRED_STATE: DesiredState = { listeners: [], targetGroups: [] };
