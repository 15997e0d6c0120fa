import { describe, expect, it } from "vitest";
import { relayLag } from "../../../shared/observability/index.js";

const now = new Date("2026-01-01T00:01:00Z");

describe("relayLag", () => {
  it("is zero when no event waits after the checkpoint", () => {
    expect(
      relayLag({ endPosition: 40, checkpointPosition: 40, oldestUnrelayedAt: undefined, now }),
    ).toEqual({ events: 0, seconds: 0 });
  });

  it("is zero for an empty log", () => {
    expect(
      relayLag({
        endPosition: undefined,
        checkpointPosition: 0,
        oldestUnrelayedAt: undefined,
        now,
      }),
    ).toEqual({ events: 0, seconds: 0 });
  });

  it("is the log end position minus the checkpoint, and the oldest waiting event's age", () => {
    expect(
      relayLag({
        endPosition: 120,
        checkpointPosition: 100,
        oldestUnrelayedAt: new Date("2026-01-01T00:00:45Z"),
        now,
      }),
    ).toEqual({ events: 20, seconds: 15 });
  });

  it("reports at least one event when a late commit sits below the checkpoint's position", () => {
    // Transaction A took position 99, B took 100 and committed first; the relay passed B.
    expect(
      relayLag({
        endPosition: 100,
        checkpointPosition: 100,
        oldestUnrelayedAt: new Date("2026-01-01T00:00:59.500Z"),
        now,
      }),
    ).toEqual({ events: 1, seconds: 0.5 });
  });

  it("never reports negative seconds when clocks disagree", () => {
    const lag = relayLag({
      endPosition: 5,
      checkpointPosition: 3,
      oldestUnrelayedAt: new Date("2026-01-01T00:02:00Z"),
      now,
    });
    expect(lag).toEqual({ events: 2, seconds: 0 });
  });
});
