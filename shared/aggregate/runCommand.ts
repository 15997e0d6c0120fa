import type { EventMetadata, EventStore } from "../eventstore/index.js";
import { isConcurrencyError } from "../eventstore/index.js";
import { newEvent, toDomainEvent, type DomainEvent } from "../events/index.js";
import { EcsError } from "../domain/errors.js";
import { fold, type Aggregate } from "./decider.js";

const MAX_ATTEMPTS = 5;

/**
 * Before attempt n + 1: up to 5 × 2ⁿ ms, at random. Writers that collided on a stream
 * (a user's UpdateService and the service controller's step, say) spread out instead of
 * reading and colliding again in lockstep; all four waits add up to at most 150 ms.
 */
export const conflictBackoffMs = (attempt: number, random: () => number = Math.random): number =>
  random() * 5 * 2 ** attempt;

/**
 * Read the stream, fold its state, decide, append at the version read. When
 * another writer got there first the whole cycle runs again on fresh state,
 * after a short random backoff, so a decision is never made on stale data.
 */
export const runCommand = async <State, Result>(
  store: EventStore,
  streamId: string,
  aggregate: Aggregate<State>,
  decide: (state: State) => DomainEvent[],
  metadata: EventMetadata,
  result: (state: State) => Result,
): Promise<Result> => {
  for (let attempt = 1; ; attempt++) {
    const { version, events } = await store.readStream(streamId);
    const state = fold(aggregate, events.map(toDomainEvent));
    const decided = decide(state);
    const after = decided.reduce(aggregate.evolve, state);
    if (decided.length === 0) return result(after);
    try {
      await store.append(
        streamId,
        decided.map((e) => newEvent(e.type, e.data)),
        version === 0 ? "noStream" : version,
        metadata,
      );
      return result(after);
    } catch (err) {
      if (!isConcurrencyError(err)) throw err;
      if (attempt >= MAX_ATTEMPTS) {
        throw new EcsError(
          "ServerException",
          `Too many concurrent changes to ${streamId}; retry the request.`,
          { retryable: true, cause: err },
        );
      }
      await new Promise((resolve) => setTimeout(resolve, conflictBackoffMs(attempt)));
    }
  }
};
