import { z } from "zod";
import { AlarmDefinition, AlarmState } from "../domain/alarms/alarmDefinition.js";

/**
 * CloudWatch metric alarms. Stream `alarm:<name>` (account-level, no cluster).
 * Times are epoch seconds (with milliseconds as the fraction).
 */

/**
 * An alarm's configuration as stored: PutMetricAlarm's fields with CloudWatch's
 * defaults applied (ActionsEnabled true, empty action lists, TreatMissingData
 * `missing`, DatapointsToAlarm = EvaluationPeriods), tags left out.
 */
export const AlarmConfiguration = AlarmDefinition.omit({ Tags: true }).extend({
  ActionsEnabled: z.boolean(),
  OKActions: z.array(z.string()),
  AlarmActions: z.array(z.string()),
  InsufficientDataActions: z.array(z.string()),
  Dimensions: z.array(z.object({ Name: z.string(), Value: z.string() })),
  DatapointsToAlarm: z.number().int().min(1),
  TreatMissingData: AlarmDefinition.shape.TreatMissingData.unwrap(),
});
export type AlarmConfiguration = z.infer<typeof AlarmConfiguration>;

/**
 * PutMetricAlarm: `created` for a new alarm (its state starts as
 * INSUFFICIENT_DATA, "Unchecked: Initial alarm creation"), else the whole
 * configuration is replaced and the state is left as it was.
 */
export const AlarmPut = z.object({
  alarmArn: z.string(),
  alarmName: z.string(),
  created: z.boolean(),
  configuration: AlarmConfiguration,
  /** The scaling policy ARN that owns the alarm (target tracking), if any. */
  managedBy: z.string().optional(),
  at: z.number(),
});
export type AlarmPut = z.infer<typeof AlarmPut>;

/** DeleteAlarms. */
export const AlarmDeleted = z.object({
  alarmArn: z.string(),
  alarmName: z.string(),
  at: z.number(),
});
export type AlarmDeleted = z.infer<typeof AlarmDeleted>;

/**
 * The alarm's state changed: by evaluation (`periodEnd` is the end of the
 * newest period evaluated, epoch seconds) or by SetAlarmState.
 */
export const AlarmStateChanged = z.object({
  alarmArn: z.string(),
  alarmName: z.string(),
  oldState: AlarmState,
  newState: AlarmState,
  /** CloudWatch's wording, e.g. `Threshold Crossed: 3 out of the last 3 datapoints [...] ...`. */
  stateReason: z.string(),
  /** A JSON document as CloudWatch writes it (`{"version":"1.0","queryDate":...}`), if any. */
  stateReasonData: z.string().optional(),
  source: z.enum(["evaluation", "SetAlarmState"]),
  periodEnd: z.number().optional(),
  at: z.number(),
});
export type AlarmStateChanged = z.infer<typeof AlarmStateChanged>;

/** EnableAlarmActions / DisableAlarmActions. */
export const AlarmActionsEnabled = z.object({
  alarmArn: z.string(),
  alarmName: z.string(),
  at: z.number(),
});
export type AlarmActionsEnabled = z.infer<typeof AlarmActionsEnabled>;
export const AlarmActionsDisabled = AlarmActionsEnabled;
export type AlarmActionsDisabled = z.infer<typeof AlarmActionsDisabled>;

/**
 * The evaluator claimed the actions of the alarm's state for one period: once
 * on a transition, every period while in ALARM (Auto Scaling actions repeat).
 * Appended at the stream version the evaluator read, so of several replicas
 * exactly one claims (and then invokes) a period's actions.
 */
export const AlarmActionsDue = z.object({
  alarmArn: z.string(),
  alarmName: z.string(),
  state: AlarmState,
  actions: z.array(z.string()).min(1),
  periodEnd: z.number(),
  at: z.number(),
});
export type AlarmActionsDue = z.infer<typeof AlarmActionsDue>;

/** The outcome of invoking one action (DescribeAlarmHistory shows it as an Action item). */
export const AlarmActionInvoked = z.object({
  alarmArn: z.string(),
  alarmName: z.string(),
  actionArn: z.string(),
  state: AlarmState,
  /** `NotSupported`: not an Application Auto Scaling policy ARN; nothing was sent. */
  outcome: z.enum(["Succeeded", "Failed", "NotSupported"]),
  /** The policy's answer (`scaled`, `cooldown`, …) or the error's message. */
  detail: z.string().optional(),
  at: z.number(),
});
export type AlarmActionInvoked = z.infer<typeof AlarmActionInvoked>;
