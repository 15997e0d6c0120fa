import type { DecisionContext } from "../../../shared/aggregate/decider.js";
import type { AlarmState } from "../../../shared/domain/alarms/alarmDefinition.js";
import type { DomainEvent } from "../../../shared/events/index.js";
import { actionsForState, type AlarmAggregateState } from "./alarmState.js";

/** What an evaluation of one period concluded (see evaluation/evaluateAlarm.ts). */
export interface EvaluationOutcome {
  /** End of the newest period evaluated, epoch seconds. */
  readonly periodEnd: number;
  /** The state the data calls for; undefined to keep the current one. */
  readonly newState?: AlarmState;
  readonly stateReason?: string;
  readonly stateReasonData?: string;
}

/**
 * The events of one period's evaluation: a state change if the state differs,
 * and the claim of the new state's actions when actions are enabled — once on
 * a transition, and every period while the alarm stays in ALARM (Auto Scaling
 * actions repeat). A period already handled (by this or another replica)
 * yields nothing, so replicas evaluating the same period agree.
 */
export const decideRecordEvaluation = (
  outcome: EvaluationOutcome,
  state: AlarmAggregateState,
  ctx: DecisionContext,
): DomainEvent[] => {
  if (state.status !== "ACTIVE" || !state.configuration) return [];
  if (state.lastPeriodEnd !== undefined && outcome.periodEnd <= state.lastPeriodEnd) return [];
  const at = ctx.now.getTime() / 1000;
  const ids = { alarmArn: state.alarmArn!, alarmName: state.alarmName! };
  const events: DomainEvent[] = [];
  const next = outcome.newState ?? state.stateValue;
  const changed = next !== state.stateValue;
  if (changed) {
    events.push({
      type: "AlarmStateChanged",
      data: {
        ...ids,
        oldState: state.stateValue,
        newState: next,
        stateReason: outcome.stateReason ?? "",
        ...(outcome.stateReasonData === undefined
          ? {}
          : { stateReasonData: outcome.stateReasonData }),
        source: "evaluation",
        periodEnd: outcome.periodEnd,
        at,
      },
    });
  }
  const actions = actionsForState(state.configuration, next);
  if (state.configuration.ActionsEnabled && actions.length > 0 && (changed || next === "ALARM")) {
    events.push({
      type: "AlarmActionsDue",
      data: { ...ids, state: next, actions: [...actions], periodEnd: outcome.periodEnd, at },
    });
  }
  return events;
};
