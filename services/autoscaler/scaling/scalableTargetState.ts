import { eventsOfTypes, type Aggregate } from "../../../shared/aggregate/decider.js";
import type {
  PolicyAlarm,
  PolicyType,
  StepScalingPolicyConfiguration,
  TargetTrackingScalingPolicyConfiguration,
} from "../../../shared/domain/scaling/scalingPolicyConfiguration.js";
import type { AlarmSignal, SuspendedFlags } from "../../../shared/events/index.js";
import type { CooldownHistory } from "./engine/cooldown.js";

export interface ScalingPolicyState {
  readonly policyName: string;
  readonly policyArn: string;
  readonly policyType: PolicyType;
  readonly step?: StepScalingPolicyConfiguration;
  readonly targetTracking?: TargetTrackingScalingPolicyConfiguration;
  readonly alarms: readonly PolicyAlarm[];
  readonly createdAt: number;
  /** The last state each of its alarms reported, by alarm name. */
  readonly signals: Readonly<Record<string, AlarmSignal>>;
}

interface ScaleOutRecord {
  readonly activityId: string;
  readonly at: number;
  readonly fromCapacity: number;
  readonly toCapacity: number;
}

/** One scalable target (an ECS service's desired count), its policies and cooldown history. */
export interface ScalableTargetState {
  readonly registered: boolean;
  readonly clusterName?: string;
  readonly serviceName?: string;
  readonly resourceId?: string;
  readonly scalableTargetArn?: string;
  readonly minCapacity: number;
  readonly maxCapacity: number;
  readonly roleArn?: string;
  readonly suspendedState: SuspendedFlags;
  readonly policies: Readonly<Record<string, ScalingPolicyState>>;
  readonly lastScaleOut?: ScaleOutRecord;
  readonly lastScaleIn?: { readonly activityId: string; readonly at: number };
}

const NOT_SUSPENDED: SuspendedFlags = {
  DynamicScalingInSuspended: false,
  DynamicScalingOutSuspended: false,
  ScheduledScalingSuspended: false,
};

const initialState: ScalableTargetState = {
  registered: false,
  minCapacity: 0,
  maxCapacity: 0,
  suspendedState: NOT_SUSPENDED,
  policies: {},
};

const handles = eventsOfTypes(
  "ScalableTargetRegistered",
  "ScalableTargetUpdated",
  "ScalableTargetDeregistered",
  "ScalingPolicyPut",
  "ScalingPolicyDeleted",
  "ScalingActivityStarted",
  "ScalingActivityCompleted",
  "ScalingNotPerformed",
  "ScalingAlarmSignalled",
);

const withSignal = (
  state: ScalableTargetState,
  policyName: string | undefined,
  signal: AlarmSignal | undefined,
): ScalableTargetState => {
  if (policyName === undefined || signal === undefined) return state;
  const policy = state.policies[policyName];
  if (!policy) return state;
  return {
    ...state,
    policies: {
      ...state.policies,
      [policyName]: { ...policy, signals: { ...policy.signals, [signal.alarmName]: signal } },
    },
  };
};

export const scalableTargetAggregate: Aggregate<ScalableTargetState> = {
  initialState,
  evolve(state, event) {
    if (!handles(event)) return state;
    switch (event.type) {
      case "ScalableTargetRegistered": {
        const d = event.data;
        return {
          ...initialState,
          registered: true,
          clusterName: d.clusterName,
          serviceName: d.serviceName,
          resourceId: d.resourceId,
          scalableTargetArn: d.scalableTargetArn,
          minCapacity: d.minCapacity,
          maxCapacity: d.maxCapacity,
          ...(d.roleArn === undefined ? {} : { roleArn: d.roleArn }),
          suspendedState: d.suspendedState,
        };
      }
      case "ScalableTargetUpdated": {
        const d = event.data;
        const { roleArn: _old, ...rest } = state;
        return {
          ...rest,
          minCapacity: d.minCapacity,
          maxCapacity: d.maxCapacity,
          ...(d.roleArn === undefined ? {} : { roleArn: d.roleArn }),
          suspendedState: d.suspendedState,
        };
      }
      case "ScalableTargetDeregistered":
        return initialState;
      case "ScalingPolicyPut": {
        const d = event.data;
        const before = state.policies[d.policyName];
        const policy: ScalingPolicyState = {
          policyName: d.policyName,
          policyArn: d.policyArn,
          policyType: d.policyType,
          ...(d.stepScalingPolicyConfiguration === undefined
            ? {}
            : { step: d.stepScalingPolicyConfiguration }),
          ...(d.targetTrackingScalingPolicyConfiguration === undefined
            ? {}
            : { targetTracking: d.targetTrackingScalingPolicyConfiguration }),
          alarms: d.alarms,
          createdAt: d.createdAt,
          signals: before?.signals ?? {},
        };
        return { ...state, policies: { ...state.policies, [d.policyName]: policy } };
      }
      case "ScalingPolicyDeleted": {
        const { [event.data.policyName]: _gone, ...policies } = state.policies;
        return { ...state, policies };
      }
      case "ScalingActivityStarted": {
        const d = event.data;
        const next = withSignal(state, d.policyName, d.signal);
        if (d.direction === "out") {
          return {
            ...next,
            lastScaleOut: {
              activityId: d.activityId,
              at: d.at,
              fromCapacity: d.fromCapacity,
              toCapacity: d.toCapacity,
            },
          };
        }
        if (d.direction === "in")
          return { ...next, lastScaleIn: { activityId: d.activityId, at: d.at } };
        return next;
      }
      case "ScalingActivityCompleted": {
        const d = event.data;
        if (d.statusCode === "Successful") return state;
        // A failed activity starts no cooldown.
        const { lastScaleOut, lastScaleIn, ...rest } = state;
        return {
          ...rest,
          ...(lastScaleOut && lastScaleOut.activityId !== d.activityId ? { lastScaleOut } : {}),
          ...(lastScaleIn && lastScaleIn.activityId !== d.activityId ? { lastScaleIn } : {}),
        };
      }
      case "ScalingNotPerformed":
        return withSignal(state, event.data.policyName, event.data.signal);
      case "ScalingAlarmSignalled":
        return withSignal(state, event.data.policyName, event.data.signal);
      default: {
        const never: never = event;
        return never;
      }
    }
  },
};

/** The cooldown history as the engine takes it. */
export const cooldownHistory = (state: ScalableTargetState): CooldownHistory => ({
  ...(state.lastScaleOut
    ? {
        lastScaleOut: {
          at: new Date(state.lastScaleOut.at * 1000),
          fromCapacity: state.lastScaleOut.fromCapacity,
          toCapacity: state.lastScaleOut.toCapacity,
        },
      }
    : {}),
  ...(state.lastScaleIn ? { lastScaleIn: { at: new Date(state.lastScaleIn.at * 1000) } } : {}),
});
