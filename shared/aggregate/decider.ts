import type { ArnContext } from "../domain/arn.js";
import type { DomainEvent, EventType } from "../events/index.js";

/** What a decision may depend on besides the command and the state: no I/O, no ambient clock. */
export interface DecisionContext {
  readonly now: Date;
  readonly arn: ArnContext;
  /** The caller (access key id or principal) recorded as the event's actor. */
  readonly actor: string;
}

/**
 * An aggregate as a pair of pure functions: `decide(command, state) → events`
 * and `evolve(state, event) → state`, folded from `initialState`.
 */
export interface Aggregate<State> {
  readonly initialState: State;
  evolve(this: void, state: State, event: DomainEvent): State;
}

export type Decide<Command, State> = (
  command: Command,
  state: State,
  ctx: DecisionContext,
) => DomainEvent[];

export const fold = <State>(aggregate: Aggregate<State>, events: readonly DomainEvent[]): State =>
  events.reduce(aggregate.evolve, aggregate.initialState);

/** The events of the given types. */
export type EventOf<T extends EventType> = Extract<DomainEvent, { type: T }>;

/**
 * A guard for the event types an aggregate handles: its `evolve` passes every
 * other event through unchanged, then switches exhaustively over its own.
 */
export const eventsOfTypes = <T extends EventType>(...types: T[]) => {
  const known = new Set<string>(types);
  return (event: DomainEvent): event is EventOf<T> => known.has(event.type);
};
