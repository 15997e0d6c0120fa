import type { DomainEvent } from "../../../shared/events/index.js";
import { eventsOfTypes, type Aggregate } from "../../../shared/aggregate/decider.js";

/**
 * One client token (ECS's `clientToken`) of one action in one cluster: free,
 * claimed by a request that is running, or completed with its answer.
 */
export type ClientTokenState =
  | { readonly status: "FREE" }
  | {
      readonly status: "CLAIMED";
      readonly claimId: string;
      readonly requestDigest: string;
      /** Epoch seconds. */
      readonly claimedAt: number;
    }
  | {
      readonly status: "COMPLETED";
      readonly claimId: string;
      readonly requestDigest: string;
      readonly result: Readonly<Record<string, unknown>>;
    };

const isTokenEvent = eventsOfTypes(
  "ClientTokenClaimed",
  "ClientTokenCompleted",
  "ClientTokenReleased",
);

export const clientTokenAggregate: Aggregate<ClientTokenState> = {
  initialState: { status: "FREE" },
  evolve(state, event: DomainEvent): ClientTokenState {
    if (!isTokenEvent(event)) return state;
    switch (event.type) {
      case "ClientTokenClaimed":
        return {
          status: "CLAIMED",
          claimId: event.data.claimId,
          requestDigest: event.data.requestDigest,
          claimedAt: event.data.claimedAt,
        };
      case "ClientTokenCompleted":
        return state.status === "CLAIMED" && state.claimId === event.data.claimId
          ? {
              status: "COMPLETED",
              claimId: state.claimId,
              requestDigest: state.requestDigest,
              result: event.data.result,
            }
          : state;
      case "ClientTokenReleased":
        return state.status === "CLAIMED" && state.claimId === event.data.claimId
          ? { status: "FREE" }
          : state;
      default: {
        const _exhaustive: never = event;
        return state;
      }
    }
  },
};
