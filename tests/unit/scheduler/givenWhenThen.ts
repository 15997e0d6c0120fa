/**
 * given / when / then for the scheduler's pure deciders:
 *   given(past events) → fold them with the aggregate's `evolve`
 *   when(command)      → run `decide` with a fixed DecisionContext
 *   then(events)       → the produced events (each checked against its catalogue schema)
 *   thenThrows(type)   → the `EcsError` type (and message) the decision throws
 */
import { expect } from "vitest";
import { EcsError, type EcsErrorType } from "../../../shared/domain/errors.js";
import { EVENT_CATALOGUE, type DomainEvent } from "../../../shared/events/index.js";
import { fold, type Aggregate, type DecisionContext } from "../../../shared/aggregate/decider.js";

/** The one clock, region, account and caller every decision in these tests sees. */
export const ctx: DecisionContext = Object.freeze({
  now: new Date("2026-01-02T03:04:05Z"),
  arn: Object.freeze({ region: "us-east-1", accountId: "123456789012" }),
  actor: "AKIDEXAMPLE",
});

/** `ctx.now` as ECS's epoch seconds and as the ISO string cluster events carry. */
export const NOW_EPOCH_SECONDS = 1767323045;
export const NOW_ISO = "2026-01-02T03:04:05.000Z";

export type DecideWith<Command, State> = (
  command: Command,
  state: State,
  ctx: DecisionContext,
) => DomainEvent[];

/** Every event a decider produces must parse with its type's schema in the catalogue. */
export const expectValidEvents = (events: readonly DomainEvent[]): void => {
  for (const event of events) {
    const result = EVENT_CATALOGUE[event.type].schema.safeParse(event.data);
    expect(result.success, `${event.type} matches its catalogue schema`).toBe(true);
  }
};

/** Runs `action` and returns the `EcsError` it throws (failing the test if it throws nothing else). */
export const catchEcsError = (action: () => unknown): EcsError => {
  let caught: unknown;
  try {
    action();
  } catch (error) {
    caught = error;
  }
  expect(caught, "expected an EcsError to be thrown").toBeInstanceOf(EcsError);
  return caught as EcsError;
};

export interface When<State> {
  /** The state folded from the given events, for assertions on it. */
  readonly state: State;
  /** The produced events equal `expected` exactly. */
  then(expected: readonly DomainEvent[]): DomainEvent[];
  /** No events: the command changes nothing. */
  thenNothing(): void;
  /** The decision throws an `EcsError` of `type`; its message equals or matches `message`. */
  thenThrows(type: EcsErrorType, message?: string | RegExp): EcsError;
  /** The produced events, validated against the catalogue, for finer assertions. */
  events(): DomainEvent[];
  /** The state once the produced events are folded onto the given ones. */
  thenState(): State;
}

export interface DeciderSpec<Command, State> {
  given(events: readonly DomainEvent[]): {
    when(command: Command): When<State>;
  };
}

export const deciderSpec = <Command, State>(
  aggregate: Aggregate<State>,
  decide: DecideWith<Command, State>,
  context: DecisionContext = ctx,
): DeciderSpec<Command, State> => ({
  given: (past) => ({
    when: (command) => {
      const state = fold(aggregate, past);
      const run = (): DomainEvent[] => {
        const events = decide(command, state, context);
        expectValidEvents(events);
        return events;
      };
      return {
        state,
        then: (expected) => {
          const events = run();
          expect(events).toEqual(expected);
          return events;
        },
        thenNothing: () => {
          expect(run()).toEqual([]);
        },
        thenThrows: (type, message) => {
          const error = catchEcsError(() => decide(command, state, context));
          expect(error.type).toBe(type);
          if (typeof message === "string") expect(error.message).toBe(message);
          else if (message) expect(error.message).toMatch(message);
          return error;
        },
        events: run,
        thenState: () => fold(aggregate, [...past, ...run()]),
      };
    },
  }),
});
