import type { DecisionContext } from "../../../shared/aggregate/decider.js";
import type { DomainEvent } from "../../../shared/events/index.js";
import type { AlarmAggregateState } from "./alarmState.js";

/** DeleteAlarms, one alarm: an alarm that does not exist is no error (as in CloudWatch). */
export const decideDeleteAlarm = (
  _command: { readonly alarmName: string },
  state: AlarmAggregateState,
  ctx: DecisionContext,
): DomainEvent[] =>
  state.status !== "ACTIVE"
    ? []
    : [
        {
          type: "AlarmDeleted",
          data: {
            alarmArn: state.alarmArn!,
            alarmName: state.alarmName!,
            at: ctx.now.getTime() / 1000,
          },
        },
      ];
