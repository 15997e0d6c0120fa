import type {
  DomainEvent,
  Target,
  TargetHealthCheck,
  TargetHealthState,
} from "../../../../shared/events/index.js";
import { eventsOfTypes, type Aggregate } from "../../../../shared/aggregate/decider.js";

/** A registered target as the target group knows it (until it has drained). */
export interface RegisteredTarget {
  readonly target: Target;
  readonly state: TargetHealthState;
  readonly reason?: string;
  readonly description?: string;
  readonly taskArn?: string;
}

export interface TargetGroupState {
  readonly status: "NONE" | "ACTIVE" | "DELETED";
  readonly targetGroupArn?: string;
  readonly targetGroupName?: string;
  readonly port?: number;
  readonly healthCheck?: TargetHealthCheck;
  readonly deregistrationDelaySeconds?: number;
  /** By `targetKey`. */
  readonly targets: ReadonlyMap<string, RegisteredTarget>;
}

export const targetKey = (t: Target): string => `${t.id}:${t.port}`;

/** What ELBv2 reports for a target just registered, or draining. */
export const REGISTERING = {
  reason: "Elb.RegistrationInProgress",
  description: "Target registration is in progress",
} as const;
export const DRAINING = {
  reason: "Target.DeregistrationInProgress",
  description: "Target deregistration is in progress",
} as const;

const isTargetGroupEvent = eventsOfTypes(
  "TargetGroupCreated",
  "TargetGroupModified",
  "TargetGroupDeleted",
  "TargetsRegistered",
  "TargetsDeregistered",
  "TargetsDrained",
  "TargetHealthChanged",
);

const withTargets = (
  state: TargetGroupState,
  change: (targets: Map<string, RegisteredTarget>) => void,
): TargetGroupState => {
  const targets = new Map(state.targets);
  change(targets);
  return { ...state, targets };
};

export const targetGroupAggregate: Aggregate<TargetGroupState> = {
  initialState: { status: "NONE", targets: new Map() },
  evolve(state, event: DomainEvent): TargetGroupState {
    if (!isTargetGroupEvent(event)) return state;
    switch (event.type) {
      case "TargetGroupCreated": {
        const d = event.data;
        return {
          status: "ACTIVE",
          targetGroupArn: d.targetGroupArn,
          targetGroupName: d.targetGroupName,
          port: d.port,
          healthCheck: d.healthCheck,
          deregistrationDelaySeconds: d.deregistrationDelaySeconds,
          targets: new Map(),
        };
      }
      case "TargetGroupModified": {
        const d = event.data;
        return {
          ...state,
          ...(d.healthCheck === undefined ? {} : { healthCheck: d.healthCheck }),
          ...(d.deregistrationDelaySeconds === undefined
            ? {}
            : { deregistrationDelaySeconds: d.deregistrationDelaySeconds }),
        };
      }
      case "TargetGroupDeleted":
        return { ...state, status: "DELETED", targets: new Map() };
      case "TargetsRegistered":
        return withTargets(state, (targets) => {
          event.data.targets.forEach((target, i) => {
            const taskArn = event.data.taskArns?.[i] ?? targets.get(targetKey(target))?.taskArn;
            targets.set(targetKey(target), {
              target,
              state: "initial",
              ...REGISTERING,
              ...(taskArn === undefined ? {} : { taskArn }),
            });
          });
        });
      case "TargetsDeregistered":
        return withTargets(state, (targets) => {
          for (const target of event.data.targets) {
            const known = targets.get(targetKey(target));
            targets.set(targetKey(target), {
              target,
              state: "draining",
              ...DRAINING,
              ...(known?.taskArn === undefined ? {} : { taskArn: known.taskArn }),
            });
          }
        });
      case "TargetsDrained":
        return withTargets(state, (targets) => {
          for (const target of event.data.targets) targets.delete(targetKey(target));
        });
      case "TargetHealthChanged":
        return withTargets(state, (targets) => {
          const d = event.data;
          const known = targets.get(targetKey(d.target));
          if (!known) return;
          targets.set(targetKey(d.target), {
            target: d.target,
            state: d.state,
            ...(d.reason === undefined ? {} : { reason: d.reason }),
            ...(d.description === undefined ? {} : { description: d.description }),
            ...(known.taskArn === undefined ? {} : { taskArn: known.taskArn }),
          });
        });
      default: {
        const _unknown: never = event;
        return state;
      }
    }
  },
};
