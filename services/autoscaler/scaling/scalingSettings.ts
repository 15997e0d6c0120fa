/**
 * The shape of the alarms a target tracking policy creates (a Flotilla
 * extension; AWS fixes them at 60 s, 3 of 3 high and 15 of 15 low). Short
 * periods make fast scaling possible on a test machine.
 */
export interface ScalingSettings {
  readonly targetTrackingPeriodSeconds: number;
  readonly scaleOutPeriods: number;
  readonly scaleInPeriods: number;
}

export const DEFAULT_SCALING_SETTINGS: ScalingSettings = {
  targetTrackingPeriodSeconds: 60,
  scaleOutPeriods: 3,
  scaleInPeriods: 15,
};
