import { describe, expect, it } from "vitest";
import {
  ABANDONED_CLAIM_SECONDS,
  decideClientToken,
  decideCompleteClientToken,
  decideReleaseClientToken,
  requestDigest,
  type TokenRequest,
} from "../../../services/scheduler/clientTokens/decideClientToken.js";
import {
  clientTokenAggregate,
  type ClientTokenState,
} from "../../../services/scheduler/clientTokens/clientTokenState.js";
import { fold } from "../../../shared/aggregate/decider.js";
import { runTaskRequestDigest } from "../../../services/scheduler/tasks/runTaskIdempotently.js";
import type { DomainEvent } from "../../../shared/events/index.js";
import { catchEcsError, ctx, expectValidEvents, NOW_EPOCH_SECONDS } from "./givenWhenThen.js";

const ref = { scope: "RunTask", clusterName: "demo", clientToken: "tok-1" };
const request = (overrides: Partial<TokenRequest> = {}): TokenRequest => ({
  ...ref,
  requestDigest: requestDigest({ taskDefinition: "web", count: 1 }),
  claimId: "claim-b",
  ...overrides,
});

const claimed = (claimId = "claim-a", at = NOW_EPOCH_SECONDS - 1): DomainEvent => ({
  type: "ClientTokenClaimed",
  data: { ...ref, claimId, requestDigest: request().requestDigest, claimedAt: at },
});
const completed = (claimId = "claim-a"): DomainEvent => ({
  type: "ClientTokenCompleted",
  data: {
    ...ref,
    claimId,
    result: { taskArns: ["arn:t1"], failures: [] },
    completedAt: NOW_EPOCH_SECONDS - 1,
  },
});
const released = (claimId = "claim-a"): DomainEvent => ({
  type: "ClientTokenReleased",
  data: { ...ref, claimId, reason: "ClientException: x", releasedAt: NOW_EPOCH_SECONDS - 1 },
});

const given = (events: readonly DomainEvent[]): ClientTokenState => {
  expectValidEvents(events);
  return fold(clientTokenAggregate, events);
};

describe("client token: the claim", () => {
  it("a free token is claimed with the request's digest", () => {
    const decision = decideClientToken(request(), given([]), ctx);
    expect(decision).toEqual({
      kind: "claim",
      events: [
        {
          type: "ClientTokenClaimed",
          data: {
            ...ref,
            claimId: "claim-b",
            requestDigest: request().requestDigest,
            claimedAt: NOW_EPOCH_SECONDS,
          },
        },
      ],
    });
    if (decision.kind === "claim") expectValidEvents(decision.events);
  });

  it("the same request after it completed gets the recorded answer", () => {
    expect(decideClientToken(request(), given([claimed(), completed()]), ctx)).toEqual({
      kind: "replay",
      result: { taskArns: ["arn:t1"], failures: [] },
    });
  });

  it("the same request while the first is running waits for it", () => {
    expect(decideClientToken(request(), given([claimed()]), ctx)).toEqual({ kind: "wait" });
  });

  it("a different request with the token is a ConflictException, finished or not", () => {
    const other = request({ requestDigest: requestDigest({ taskDefinition: "web", count: 2 }) });
    for (const past of [[claimed()], [claimed(), completed()]]) {
      const error = catchEcsError(() => decideClientToken(other, given(past), ctx));
      expect(error.type).toBe("ConflictException");
      expect(error.message).toContain("clientToken is already in use with a different RunTask");
      expect(error.retryable).toBe(false);
    }
  });

  it("a released token can be claimed again, by any request", () => {
    const other = request({ requestDigest: "different" });
    expect(decideClientToken(other, given([claimed(), released()]), ctx).kind).toBe("claim");
  });

  it("a claim abandoned for longer than the limit is taken over by the same request", () => {
    const old = claimed("claim-a", NOW_EPOCH_SECONDS - ABANDONED_CLAIM_SECONDS - 1);
    expect(decideClientToken(request(), given([old]), ctx).kind).toBe("claim");
    const recent = claimed("claim-a", NOW_EPOCH_SECONDS - ABANDONED_CLAIM_SECONDS + 1);
    expect(decideClientToken(request(), given([recent]), ctx).kind).toBe("wait");
  });
});

describe("client token: the answer", () => {
  it("the claimant records its answer; the token is then COMPLETED", () => {
    const state = given([claimed("claim-b")]);
    const events = decideCompleteClientToken(
      request(),
      { taskArns: ["arn:t2"], failures: [] },
      state,
      ctx,
    );
    expectValidEvents(events);
    expect(fold(clientTokenAggregate, [claimed("claim-b"), ...events])).toMatchObject({
      status: "COMPLETED",
      result: { taskArns: ["arn:t2"], failures: [] },
    });
  });

  it("a request whose claim was taken over records nothing", () => {
    const state = given([claimed("claim-a")]);
    expect(decideCompleteClientToken(request(), { taskArns: [] }, state, ctx)).toEqual([]);
    expect(decideReleaseClientToken(request(), "x", state, ctx)).toEqual([]);
  });

  it("the claimant releases the token when its request was refused", () => {
    const events = decideReleaseClientToken(
      request(),
      "ClientException: no",
      given([claimed("claim-b")]),
      ctx,
    );
    expectValidEvents(events);
    expect(fold(clientTokenAggregate, [claimed("claim-b"), ...events])).toEqual({
      status: "FREE",
    });
  });

  it("events of another claim do not change the state", () => {
    expect(given([claimed("claim-a"), completed("claim-z"), released("claim-z")])).toMatchObject({
      status: "CLAIMED",
      claimId: "claim-a",
    });
  });
});

describe("client token: what makes two RunTask requests the same", () => {
  it("ignores the token and key order, and fills in the cluster and count defaults", () => {
    expect(runTaskRequestDigest({ taskDefinition: "web", clientToken: "a", startedBy: "me" })).toBe(
      runTaskRequestDigest({
        startedBy: "me",
        cluster: "arn:aws:ecs:us-east-1:123456789012:cluster/default",
        count: 1,
        taskDefinition: "web",
        clientToken: "b",
      }),
    );
  });

  it("differs when anything else differs", () => {
    const base = runTaskRequestDigest({ taskDefinition: "web", clientToken: "a" });
    expect(runTaskRequestDigest({ taskDefinition: "web:2", clientToken: "a" })).not.toBe(base);
    expect(runTaskRequestDigest({ taskDefinition: "web", count: 2, clientToken: "a" })).not.toBe(
      base,
    );
    expect(
      runTaskRequestDigest({ taskDefinition: "web", tags: [{ key: "k" }], clientToken: "a" }),
    ).not.toBe(base);
  });
});
