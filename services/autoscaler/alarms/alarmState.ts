import { eventsOfTypes, type Aggregate } from "../../../shared/aggregate/decider.js";
import type { AlarmState } from "../../../shared/domain/alarms/alarmDefinition.js";
import type { AlarmConfiguration, DomainEvent } from "../../../shared/events/index.js";

/** One metric alarm as its stream folds: configuration, state, the newest period handled. */
export interface AlarmAggregateState {
  readonly status: "NONE" | "ACTIVE" | "DELETED";
  readonly alarmArn?: string;
  readonly alarmName?: string;
  readonly configuration?: AlarmConfiguration;
  readonly managedBy?: string;
  readonly stateValue: AlarmState;
  readonly stateReason?: string;
  readonly stateReasonData?: string;
  /** The end (epoch seconds) of the newest period whose evaluation changed state or claimed actions. */
  readonly lastPeriodEnd?: number;
}

/** CloudWatch's reason for a new alarm's first state. */
export const INITIAL_STATE_REASON = "Unchecked: Initial alarm creation";

const isAlarmEvent = eventsOfTypes(
  "AlarmPut",
  "AlarmDeleted",
  "AlarmStateChanged",
  "AlarmActionsEnabled",
  "AlarmActionsDisabled",
  "AlarmActionsDue",
  "AlarmActionInvoked",
);

const INITIAL: AlarmAggregateState = { status: "NONE", stateValue: "INSUFFICIENT_DATA" };

const withActionsEnabled = (state: AlarmAggregateState, enabled: boolean): AlarmAggregateState =>
  state.configuration
    ? { ...state, configuration: { ...state.configuration, ActionsEnabled: enabled } }
    : state;

export const alarmAggregate: Aggregate<AlarmAggregateState> = {
  initialState: INITIAL,
  evolve(state, event: DomainEvent): AlarmAggregateState {
    if (!isAlarmEvent(event)) return state;
    switch (event.type) {
      case "AlarmPut": {
        const d = event.data;
        const base = d.created || state.status !== "ACTIVE" ? INITIAL : state;
        const { managedBy: _previous, ...rest } = base;
        return {
          ...rest,
          status: "ACTIVE",
          alarmArn: d.alarmArn,
          alarmName: d.alarmName,
          configuration: d.configuration,
          ...(d.managedBy === undefined ? {} : { managedBy: d.managedBy }),
          ...(d.created
            ? { stateValue: "INSUFFICIENT_DATA", stateReason: INITIAL_STATE_REASON }
            : {}),
        };
      }
      case "AlarmDeleted":
        return { ...INITIAL, status: "DELETED" };
      case "AlarmStateChanged": {
        const d = event.data;
        const { stateReasonData: _old, ...rest } = state;
        return {
          ...rest,
          stateValue: d.newState,
          stateReason: d.stateReason,
          ...(d.stateReasonData === undefined ? {} : { stateReasonData: d.stateReasonData }),
          ...(d.periodEnd === undefined ? {} : { lastPeriodEnd: d.periodEnd }),
        };
      }
      case "AlarmActionsEnabled":
        return withActionsEnabled(state, true);
      case "AlarmActionsDisabled":
        return withActionsEnabled(state, false);
      case "AlarmActionsDue":
        return { ...state, lastPeriodEnd: event.data.periodEnd };
      case "AlarmActionInvoked":
        return state;
      default: {
        const _unknown: never = event;
        return state;
      }
    }
  },
};

/** The actions of a state: AlarmActions, OKActions or InsufficientDataActions. */
export const actionsForState = (
  configuration: AlarmConfiguration,
  state: AlarmState,
): readonly string[] =>
  state === "ALARM"
    ? configuration.AlarmActions
    : state === "OK"
      ? configuration.OKActions
      : configuration.InsufficientDataActions;
