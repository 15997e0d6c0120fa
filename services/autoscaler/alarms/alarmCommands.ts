import type { DecisionContext } from "../../../shared/aggregate/decider.js";
import { runCommand } from "../../../shared/aggregate/runCommand.js";
import type { CommandContext, ServedCommand } from "../../../shared/bus/index.js";
import { served } from "../../../shared/bus/index.js";
import {
  DeleteAlarms,
  DisableAlarmActions,
  EnableAlarmActions,
  PutMetricAlarm,
  SetAlarmState,
} from "../../../shared/commands/autoscaler/alarmCommands.js";
import { alarmArn } from "../../../shared/domain/alarms/alarmArn.js";
import { alarmStream } from "../../../shared/domain/streams.js";
import type { AutoscalerContext } from "../context.js";
import { decideSwitchAlarmActions } from "./alarmActionsSwitch.js";
import { actionsForState, alarmAggregate } from "./alarmState.js";
import { decideDeleteAlarm } from "./deleteAlarm.js";
import { invokeAlarmActions } from "./invokeAlarmActions.js";
import { decidePutMetricAlarm } from "./putMetricAlarm.js";
import { decideSetAlarmState } from "./setAlarmState.js";

/** The alarms' commands: PutMetricAlarm, DeleteAlarms, SetAlarmState, Enable/DisableAlarmActions. */
export const alarmCommands = (ctx: AutoscalerContext): ServedCommand[] => {
  const { store } = ctx;
  const dc = (c: CommandContext): DecisionContext => ({
    now: ctx.clock(),
    arn: ctx.arn,
    actor: c.metadata.actor,
  });
  const forEachAlarm = async (names: readonly string[], enabled: boolean, c: CommandContext) => {
    for (const name of new Set(names)) {
      await runCommand(
        store,
        alarmStream(name),
        alarmAggregate,
        (state) => decideSwitchAlarmActions({ enabled }, state, dc(c)),
        c.metadata,
        () => undefined,
      );
    }
    return {};
  };

  return [
    served(PutMetricAlarm, (payload, c) =>
      runCommand(
        store,
        alarmStream(payload.AlarmName),
        alarmAggregate,
        (state) => decidePutMetricAlarm(payload, state, dc(c)),
        c.metadata,
        () => ({ alarmArn: alarmArn(ctx.arn, payload.AlarmName) }),
      ),
    ),
    served(DeleteAlarms, async (payload, c) => {
      for (const name of new Set(payload.AlarmNames)) {
        await runCommand(
          store,
          alarmStream(name),
          alarmAggregate,
          (state) => decideDeleteAlarm({ alarmName: name }, state, dc(c)),
          c.metadata,
          () => undefined,
        );
      }
      return {};
    }),
    served(SetAlarmState, async (payload, c) => {
      let changed = false;
      const after = await runCommand(
        store,
        alarmStream(payload.AlarmName),
        alarmAggregate,
        (state) => {
          const events = decideSetAlarmState(payload, state, dc(c));
          changed = events.length > 0;
          return events;
        },
        c.metadata,
        (state) => state,
      );
      const actions = after.configuration
        ? actionsForState(after.configuration, after.stateValue)
        : [];
      if (changed && after.configuration?.ActionsEnabled && actions.length > 0) {
        // The actions run after the reply, as CloudWatch's do (and an action may
        // be a command this very service handles).
        void invokeAlarmActions(
          ctx,
          {
            alarmArn: after.alarmArn!,
            alarmName: after.alarmName!,
            configuration: after.configuration,
            state: after.stateValue,
            actions,
            metricValue: null,
          },
          { ...c.metadata, causationId: c.metadata.commandId },
        ).catch((err: unknown) =>
          c.log.error({ err, alarmName: payload.AlarmName }, "alarm actions failed"),
        );
      }
      return {};
    }),
    served(EnableAlarmActions, (payload, c) => forEachAlarm(payload.AlarmNames, true, c)),
    served(DisableAlarmActions, (payload, c) => forEachAlarm(payload.AlarmNames, false, c)),
  ];
};
