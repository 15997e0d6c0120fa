import type { DecisionContext } from "../../../shared/aggregate/decider.js";
import type { DomainEvent } from "../../../shared/events/index.js";
import type { AlarmAggregateState } from "./alarmState.js";

/**
 * EnableAlarmActions / DisableAlarmActions, one alarm: unknown alarms are
 * ignored, and an alarm already so changes nothing.
 */
export const decideSwitchAlarmActions = (
  command: { readonly enabled: boolean },
  state: AlarmAggregateState,
  ctx: DecisionContext,
): DomainEvent[] => {
  if (state.status !== "ACTIVE" || state.configuration?.ActionsEnabled === command.enabled) {
    return [];
  }
  const data = {
    alarmArn: state.alarmArn!,
    alarmName: state.alarmName!,
    at: ctx.now.getTime() / 1000,
  };
  return [
    command.enabled
      ? { type: "AlarmActionsEnabled", data }
      : { type: "AlarmActionsDisabled", data },
  ];
};
