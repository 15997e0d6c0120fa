import type { DecisionContext } from "../../../shared/aggregate/decider.js";
import type { PayloadOf } from "../../../shared/bus/index.js";
import type { SetAlarmState } from "../../../shared/commands/autoscaler/alarmCommands.js";
import { EcsError } from "../../../shared/domain/errors.js";
import type { DomainEvent } from "../../../shared/events/index.js";
import type { AlarmAggregateState } from "./alarmState.js";

export type SetAlarmStateCommand = PayloadOf<typeof SetAlarmState>;

/**
 * SetAlarmState: the state holds until the next evaluation. Setting the state
 * the alarm is already in changes nothing (no transition, no actions), as in
 * CloudWatch. StateReasonData must be JSON.
 */
export const decideSetAlarmState = (
  command: SetAlarmStateCommand,
  state: AlarmAggregateState,
  ctx: DecisionContext,
): DomainEvent[] => {
  if (state.status !== "ACTIVE") {
    throw new EcsError("ResourceNotFound", `Alarm ${command.AlarmName} does not exist.`);
  }
  if (command.StateReason.length > 1023) {
    throw new EcsError(
      "InvalidParameterValue",
      "The parameter StateReason must be at most 1023 characters long.",
    );
  }
  if (command.StateReasonData !== undefined) {
    try {
      JSON.parse(command.StateReasonData);
    } catch {
      throw new EcsError("InvalidFormat", "The parameter StateReasonData is not valid JSON.");
    }
  }
  if (state.stateValue === command.StateValue) return [];
  return [
    {
      type: "AlarmStateChanged",
      data: {
        alarmArn: state.alarmArn!,
        alarmName: state.alarmName!,
        oldState: state.stateValue,
        newState: command.StateValue,
        stateReason: command.StateReason,
        ...(command.StateReasonData === undefined
          ? {}
          : { stateReasonData: command.StateReasonData }),
        source: "SetAlarmState",
        at: ctx.now.getTime() / 1000,
      },
    },
  ];
};
