import type { EventMetadata, EventStore } from "../eventstore/index.js";
import { isConcurrencyError } from "../eventstore/index.js";
import { newEvent, toDomainEvent, type DomainEvent } from "../events/index.js";
import { EcsError } from "../domain/errors.js";
import { fold, type Aggregate } from "./decider.js";

const MAX_ATTEMPTS = 5;

/**
 * Read the stream, fold its state, decide, append at the version read. When
 * another writer got there first the whole cycle runs again on fresh state,
 * so a decision is never made on stale data.
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
    }
  }
};
