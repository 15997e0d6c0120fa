import { describe, expect, it } from "vitest";
import {
  checkPutLogEvents,
  eventSize,
  LOG_LIMITS,
  nextBatchSize,
  truncateMessage,
} from "../../../shared/logs/index.js";

const NOW = Date.UTC(2026, 10, 27, 12);
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const ev = (timestamp: number, message = "line") => ({ timestamp, message });

describe("PutLogEvents' limits", () => {
  it("accepts a batch in order within the limits", () => {
    expect(checkPutLogEvents([ev(NOW - 2), ev(NOW - 1), ev(NOW - 1)], NOW, null)).toEqual({
      accepted: [ev(NOW - 2), ev(NOW - 1), ev(NOW - 1)],
    });
  });

  it("refuses events out of order, as CloudWatch words it", () => {
    expect(() => checkPutLogEvents([ev(NOW), ev(NOW - 1)], NOW, null)).toThrow(
      "Log events in a single PutLogEvents request must be in chronological order.",
    );
  });

  it("refuses an empty batch and one of more than 10 000 events", () => {
    expect(() => checkPutLogEvents([], NOW, null)).toThrow(/logEvents/);
    const many = Array.from({ length: LOG_LIMITS.eventsPerBatch + 1 }, () => ev(NOW));
    expect(() => checkPutLogEvents(many, NOW, null)).toThrow(/10000/);
  });

  it("counts 26 bytes per event towards 1 MiB", () => {
    const message = "x".repeat(100_000);
    const tooMany = Array.from({ length: 11 }, () => ev(NOW, message));
    expect(11 * eventSize(message)).toBeGreaterThan(LOG_LIMITS.batchBytes);
    expect(() => checkPutLogEvents(tooMany, NOW, null)).toThrow(/1048576/);
    expect(() => checkPutLogEvents(tooMany.slice(0, 10), NOW, null)).not.toThrow();
  });

  it("refuses one event above 256 KiB and a batch spanning more than 24 hours", () => {
    expect(() =>
      checkPutLogEvents([ev(NOW, "x".repeat(LOG_LIMITS.eventBytes))], NOW, null),
    ).toThrow(/too large/);
    expect(() => checkPutLogEvents([ev(NOW - DAY - 1), ev(NOW)], NOW, null)).toThrow(/24 hours/);
  });

  it("leaves out too old, expired and too new events and reports their indexes", () => {
    // The 24-hour span rule applies first: each rejection on its own.
    expect(checkPutLogEvents([ev(NOW - 15 * DAY), ev(NOW - 15 * DAY + 1)], NOW, null)).toEqual({
      accepted: [],
      rejected: { tooOldLogEventEndIndex: 1 },
    });
    expect(checkPutLogEvents([ev(NOW - DAY - HOUR), ev(NOW - 2 * HOUR)], NOW, 1)).toEqual({
      accepted: [ev(NOW - 2 * HOUR)],
      rejected: { expiredLogEventEndIndex: 0 },
    });
    expect(checkPutLogEvents([ev(NOW), ev(NOW + 3 * HOUR)], NOW, null)).toEqual({
      accepted: [ev(NOW)],
      rejected: { tooNewLogEventStartIndex: 1 },
    });
  });
});

describe("the agent's batching", () => {
  const limits = { maxEvents: 3, maxBytes: 100, maxSpanMs: 1000 };

  it("takes as many events as fit the count", () => {
    expect(nextBatchSize([ev(1), ev(2), ev(3), ev(4)], limits)).toBe(3);
    expect(nextBatchSize([], limits)).toBe(0);
  });

  it("stops before the bytes (with 26 per event) overflow", () => {
    // "line" is 4 + 26 = 30 bytes: three are 90, a 40-byte one would overflow.
    expect(nextBatchSize([ev(1), ev(2), ev(3, "x".repeat(20))], { ...limits, maxEvents: 10 })).toBe(
      2,
    );
  });

  it("stops before the span overflows, but always takes one", () => {
    expect(nextBatchSize([ev(0), ev(1000), ev(1001)], limits)).toBe(2);
    expect(nextBatchSize([ev(0, "x".repeat(500))], limits)).toBe(1);
  });

  it("cuts long lines on a character boundary", () => {
    const cut = truncateMessage("é".repeat(100), 26 + 51);
    expect(Buffer.byteLength(cut)).toBe(50);
    expect(cut).toBe("é".repeat(25));
    expect(truncateMessage("short")).toBe("short");
  });
});
