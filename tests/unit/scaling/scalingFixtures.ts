import type {
  AlarmInvocation,
  ScalingInput,
  ScalingPolicyView,
} from "../../../services/autoscaler/scaling/index.js";
import type { TargetTrackingScalingPolicyConfiguration } from "../../../shared/domain/scaling/scalingPolicyConfiguration.js";

/** The virtual clock's origin; tests move along it with `at(seconds)`. */
export const T0 = new Date("2026-03-01T00:00:00Z");
export const at = (seconds: number): Date => new Date(T0.getTime() + seconds * 1000);

export const NOT_SUSPENDED = {
  DynamicScalingInSuspended: false,
  DynamicScalingOutSuspended: false,
  ScheduledScalingSuspended: false,
};

export const cpuPolicy = (
  config: Partial<TargetTrackingScalingPolicyConfiguration> = {},
  policyName = "cpu50",
): ScalingPolicyView => ({
  policyName,
  policyType: "TargetTrackingScaling",
  targetTracking: {
    TargetValue: 50,
    PredefinedMetricSpecification: { PredefinedMetricType: "ECSServiceAverageCPUUtilization" },
    ...config,
  },
});

export const highAlarm = (metricValue: number | null, threshold = 50): AlarmInvocation => ({
  alarmName: "TargetTracking-service/demo/web-AlarmHigh-1",
  state: "ALARM",
  threshold,
  comparisonOperator: "GreaterThanThreshold",
  metricValue,
});

export const lowAlarm = (metricValue: number | null, threshold = 45): AlarmInvocation => ({
  alarmName: "TargetTracking-service/demo/web-AlarmLow-1",
  state: "ALARM",
  threshold,
  comparisonOperator: "LessThanThreshold",
  metricValue,
});

/** A target tracking invocation: 4 tasks, min 1, max 10, no history, unless overridden. */
export const input = (overrides: Partial<ScalingInput> = {}): ScalingInput => ({
  now: T0,
  target: { minCapacity: 1, maxCapacity: 10, suspended: NOT_SUSPENDED },
  currentCapacity: 4,
  runningTasks: 4,
  deploymentInProgress: false,
  policy: cpuPolicy(),
  alarm: highAlarm(75),
  peers: [],
  history: {},
  ...overrides,
});
