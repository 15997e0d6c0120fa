import type { AlarmState } from "../../../shared/domain/alarms/alarmDefinition.js";
import type { NotScaledReason } from "../../../shared/events/index.js";

/**
 * The simulator's output. Activities have DescribeScalingActivities' fields
 * (not-scaled ones included, with NotScaledReasons); alarm transitions have
 * DescribeAlarmHistory's StateUpdate fields. Times are ISO 8601, as the AWS CLI
 * v2 prints them; lists run oldest first, as a timeline reads.
 */
export interface SimAlarmTransition {
  readonly Timestamp: string;
  readonly AlarmName: string;
  readonly OldState: AlarmState;
  readonly NewState: AlarmState;
  readonly StateReason: string;
  readonly StateReasonData?: string;
}

export interface SimScalingActivity {
  readonly ActivityId: string;
  readonly ServiceNamespace: "ecs";
  readonly ResourceId: string;
  readonly ScalableDimension: "ecs:service:DesiredCount";
  readonly Description: string;
  readonly Cause: string;
  readonly StartTime: string;
  readonly EndTime?: string;
  readonly StatusCode: "Successful" | "Failed";
  readonly StatusMessage: string;
  readonly Details?: string;
  readonly NotScaledReasons?: readonly NotScaledReason[];
}

export interface SimCapacityChange {
  readonly Timestamp: string;
  readonly DesiredCount: number;
  readonly RunningCount: number;
}

export interface SimPolicySummary {
  readonly PolicyName: string;
  readonly PolicyARN: string;
  readonly PolicyType: string;
  readonly Alarms: readonly { readonly AlarmName: string; readonly AlarmARN: string }[];
}

export interface SimulationOutput {
  readonly ResourceId: string;
  readonly StartTime: string;
  readonly EndTime: string;
  readonly EvaluationIntervalSeconds: number;
  readonly ScalingPolicies: readonly SimPolicySummary[];
  readonly AlarmTransitions: readonly SimAlarmTransition[];
  readonly ScalingActivities: readonly SimScalingActivity[];
  /** The desired and running counts each time either changed. */
  readonly Capacity: readonly SimCapacityChange[];
  readonly Summary: {
    readonly ScaleOuts: number;
    readonly ScaleIns: number;
    readonly NotScaled: number;
    readonly FinalDesiredCount: number;
    readonly FinalRunningCount: number;
  };
}
