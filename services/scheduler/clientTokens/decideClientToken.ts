import { createHash } from "node:crypto";
import { canonicalJson } from "../../../shared/domain/canonicalJson.js";
import { EcsError } from "../../../shared/domain/errors.js";
import type { DomainEvent } from "../../../shared/events/index.js";
import type { DecisionContext } from "../../../shared/aggregate/decider.js";
import type { ClientTokenState } from "./clientTokenState.js";

/** A request that carries a client token. */
export interface TokenRequest {
  /** The action: `RunTask`. */
  readonly scope: string;
  readonly clusterName: string;
  readonly clientToken: string;
  /** See `requestDigest`. */
  readonly requestDigest: string;
  /** A fresh id for the claim this request would make. */
  readonly claimId: string;
}

/**
 * A claim older than this, still without an answer, was abandoned (its
 * scheduler died mid-request): a repeat of the same request may take it over,
 * and adopts the tasks the dead request already created (runTaskIdempotently).
 * Three times the api's default command timeout (10 s), after which no caller
 * waits for the original any more; far longer than a RunTask runs. Until then
 * repeats get a retryable ServerException (docs/reliability.md).
 */
export const ABANDONED_CLAIM_SECONDS = 30;

/** What to do with a request that carries a token. */
export type TokenDecision =
  /** The token is ours: append `events`, run the request, then record its answer. */
  | { readonly kind: "claim"; readonly events: DomainEvent[] }
  /** The same request already finished: answer what it answered. */
  | { readonly kind: "replay"; readonly result: Readonly<Record<string, unknown>> }
  /** The same request is running elsewhere: wait for its answer. */
  | { readonly kind: "wait" };

/** SHA-256 of the request's canonical JSON: equal for equal requests, whatever their key order. */
export const requestDigest = (request: unknown): string =>
  createHash("sha256").update(canonicalJson(request)).digest("hex");

export const tokenConflict = (scope: string): EcsError =>
  new EcsError(
    "ConflictException",
    `The request could not be processed due to conflicts. The provided clientToken is already in use with a different ${scope} request.`,
  );

/**
 * The token's verdict on a request. A token holds one request: another
 * request with it is a ConflictException, whether the first one has
 * finished or not.
 */
export const decideClientToken = (
  request: TokenRequest,
  state: ClientTokenState,
  ctx: DecisionContext,
): TokenDecision => {
  const now = ctx.now.getTime() / 1000;
  const claim = (): TokenDecision => ({
    kind: "claim",
    events: [
      {
        type: "ClientTokenClaimed",
        data: {
          scope: request.scope,
          clusterName: request.clusterName,
          clientToken: request.clientToken,
          claimId: request.claimId,
          requestDigest: request.requestDigest,
          claimedAt: now,
        },
      },
    ],
  });
  if (state.status === "FREE") return claim();
  if (state.requestDigest !== request.requestDigest) throw tokenConflict(request.scope);
  if (state.status === "COMPLETED") return { kind: "replay", result: state.result };
  return now - state.claimedAt > ABANDONED_CLAIM_SECONDS ? claim() : { kind: "wait" };
};

/** The claimed request's answer, recorded while the claim is still this request's. */
export const decideCompleteClientToken = (
  request: Pick<TokenRequest, "scope" | "clusterName" | "clientToken" | "claimId">,
  result: Readonly<Record<string, unknown>>,
  state: ClientTokenState,
  ctx: DecisionContext,
): DomainEvent[] =>
  state.status === "CLAIMED" && state.claimId === request.claimId
    ? [
        {
          type: "ClientTokenCompleted",
          data: {
            scope: request.scope,
            clusterName: request.clusterName,
            clientToken: request.clientToken,
            claimId: request.claimId,
            result: { ...result },
            completedAt: ctx.now.getTime() / 1000,
          },
        },
      ]
    : [];

/** The claimed request was refused before it changed anything: the token is free again. */
export const decideReleaseClientToken = (
  request: Pick<TokenRequest, "scope" | "clusterName" | "clientToken" | "claimId">,
  reason: string,
  state: ClientTokenState,
  ctx: DecisionContext,
): DomainEvent[] =>
  state.status === "CLAIMED" && state.claimId === request.claimId
    ? [
        {
          type: "ClientTokenReleased",
          data: {
            scope: request.scope,
            clusterName: request.clusterName,
            clientToken: request.clientToken,
            claimId: request.claimId,
            reason,
            releasedAt: ctx.now.getTime() / 1000,
          },
        },
      ]
    : [];
