import { errors as natsErrors } from "@nats-io/nats-core";
import { describe, expect, it } from "vitest";
import {
  apiOutcome,
  natsStatusEffect,
  placementFailureReason,
} from "../../../shared/observability/index.js";

describe("apiOutcome", () => {
  it("splits answers by status class", () => {
    expect([200, 302, 400, 403, 404, 499, 500, 503].map(apiOutcome)).toEqual([
      "ok",
      "ok",
      "client_error",
      "client_error",
      "client_error",
      "client_error",
      "server_error",
      "server_error",
    ]);
  });
});

describe("natsStatusEffect", () => {
  it("marks disconnects and closes as down, a reconnect as up and counted", () => {
    expect(natsStatusEffect({ type: "disconnect", server: "s" })).toEqual({
      kind: "connected",
      connected: false,
      reconnect: false,
    });
    expect(natsStatusEffect({ type: "close" })).toMatchObject({ connected: false });
    expect(natsStatusEffect({ type: "reconnect", server: "s" })).toEqual({
      kind: "connected",
      connected: true,
      reconnect: true,
    });
  });

  it("sorts asynchronous errors into slow consumer, permission and other", () => {
    expect(
      natsStatusEffect({ type: "slowConsumer", pending: 10, sub: undefined as never }),
    ).toEqual({ kind: "error", error: "slow_consumer" });
    const denied = new natsErrors.PermissionViolationError(
      "Permissions Violation for Publish to x",
      "publish",
      "x",
    );
    expect(natsStatusEffect({ type: "error", error: denied })).toEqual({
      kind: "error",
      error: "permission",
    });
    expect(natsStatusEffect({ type: "error", error: new Error("boom") })).toEqual({
      kind: "error",
      error: "other",
    });
  });

  it("ignores pings and reconnect attempts", () => {
    expect(natsStatusEffect({ type: "ping", pendingPings: 1 })).toEqual({ kind: "none" });
    expect(natsStatusEffect({ type: "reconnecting" })).toEqual({ kind: "none" });
  });
});

describe("placementFailureReason", () => {
  it("is the closest instance's code, or NO_INSTANCES", () => {
    expect(placementFailureReason({ closest: { code: "RESOURCE:MEMORY" } })).toBe(
      "RESOURCE:MEMORY",
    );
    expect(placementFailureReason({})).toBe("NO_INSTANCES");
  });
});
