import type { DecisionContext } from "../../../shared/aggregate/decider.js";
import type { PayloadOf } from "../../../shared/bus/index.js";
import type { PutMetricAlarm } from "../../../shared/commands/autoscaler/alarmCommands.js";
import { alarmArn } from "../../../shared/domain/alarms/alarmArn.js";
import { canonicalJson } from "../../../shared/domain/canonicalJson.js";
import type { DomainEvent } from "../../../shared/events/index.js";
import type { AlarmAggregateState } from "./alarmState.js";
import { validateAlarm } from "./validateAlarm.js";

export type PutMetricAlarmCommand = PayloadOf<typeof PutMetricAlarm>;

/**
 * PutMetricAlarm: creates the alarm (state INSUFFICIENT_DATA) or replaces its
 * whole configuration, leaving its state as it was (as CloudWatch does). The
 * same configuration again changes nothing.
 */
export const decidePutMetricAlarm = (
  command: PutMetricAlarmCommand,
  state: AlarmAggregateState,
  ctx: DecisionContext,
): DomainEvent[] => {
  const { ManagedBy: managedBy, ...definition } = command;
  const configuration = validateAlarm(definition);
  const exists = state.status === "ACTIVE";
  if (
    exists &&
    canonicalJson(state.configuration) === canonicalJson(configuration) &&
    state.managedBy === managedBy
  ) {
    return [];
  }
  return [
    {
      type: "AlarmPut",
      data: {
        alarmArn: alarmArn(ctx.arn, command.AlarmName),
        alarmName: command.AlarmName,
        created: !exists,
        configuration,
        ...(managedBy === undefined ? {} : { managedBy }),
        at: ctx.now.getTime() / 1000,
      },
    },
  ];
};
