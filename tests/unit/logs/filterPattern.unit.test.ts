import { describe, expect, it } from "vitest";
import {
  decodePositionToken,
  encodePositionToken,
  matchesFilter,
  parseFilterPattern,
} from "../../../shared/logs/index.js";
import { decideShippedLines } from "../../../services/api/logs/ingest/shipIntoStore.js";

describe("filter patterns", () => {
  it("match every term, any ?term, no -term, case-sensitively", () => {
    const f = parseFilterPattern('ERROR "disk full" -ignored');
    expect(f).toEqual({ all: ["ERROR", "disk full"], any: [], none: ["ignored"] });
    expect(matchesFilter(f, "ERROR: disk full on /")).toBe(true);
    expect(matchesFilter(f, "ERROR: disk full (ignored)")).toBe(false);
    expect(matchesFilter(f, "error: disk full")).toBe(false);
    const any = parseFilterPattern("?WARN ?ERROR");
    expect(matchesFilter(any, "a WARN")).toBe(true);
    expect(matchesFilter(any, "INFO")).toBe(false);
    expect(parseFilterPattern("")).toEqual({ all: [], any: [], none: [] });
  });

  it("refuse JSON and space-delimited patterns with InvalidParameterException", () => {
    expect(() => parseFilterPattern('{ $.level = "error" }')).toThrow(/filterPattern/);
    expect(() => parseFilterPattern("[ip, user]")).toThrow(/filterPattern/);
  });
});

describe("GetLogEvents tokens", () => {
  it("round-trip and refuse garbage", () => {
    const t = encodePositionToken("f", { time: 1_700_000_000_000, seq: 42 });
    expect(decodePositionToken(t)).toEqual({
      direction: "f",
      position: { time: 1_700_000_000_000, seq: 42 },
    });
    expect(() => decodePositionToken("x/1")).toThrow(/not valid/);
  });
});

describe("the ingest's choice of an agent's lines", () => {
  const NOW = Date.UTC(2026, 10, 27);
  const ns = (ms: number, extra = 0n) => (BigInt(ms) * 1_000_000n + extra).toString();

  it("skips what is at or before the stream's cursor, and moves the cursor to the newest", () => {
    const d = decideShippedLines(
      {
        events: [
          { sourceTimeNs: ns(NOW - 10, 5n), message: "old" },
          { sourceTimeNs: ns(NOW - 5), message: "new" },
          { sourceTimeNs: ns(NOW - 4), message: "newer" },
        ],
      },
      BigInt(ns(NOW - 10, 5n)),
      null,
      NOW,
    );
    expect(d.events).toEqual([
      { timestamp: NOW - 5, message: "new" },
      { timestamp: NOW - 4, message: "newer" },
    ]);
    expect(d.cursorNs).toBe(BigInt(ns(NOW - 4)));
  });

  it("drops lines past the group's retention but still moves the cursor past them", () => {
    const d = decideShippedLines(
      { events: [{ sourceTimeNs: ns(NOW - 2 * 86_400_000), message: "expired" }] },
      null,
      1,
      NOW,
    );
    expect(d.events).toEqual([]);
    expect(d.cursorNs).toBe(BigInt(ns(NOW - 2 * 86_400_000)));
  });
});
