import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { TreatMissingData } from "../../../shared/domain/alarms/alarmDefinition.js";
import { decideWithMissingData } from "../../../services/autoscaler/alarms/evaluation/missingData.js";

/**
 * CloudWatch's documented table for an alarm with EvaluationPeriods 3 and
 * DatapointsToAlarm 3, 5 datapoints retrieved: `0` not breaching, `X`
 * breaching, `-` missing, oldest first; `keep` = retain the current state.
 */
const TABLE: [string, number, Record<TreatMissingData, string>][] = [
  ["0 - X - X", 0, { missing: "OK", ignore: "OK", breaching: "OK", notBreaching: "OK" }],
  ["- - - - 0", 2, { missing: "OK", ignore: "OK", breaching: "OK", notBreaching: "OK" }],
  [
    "- - - - -",
    3,
    { missing: "INSUFFICIENT_DATA", ignore: "keep", breaching: "ALARM", notBreaching: "OK" },
  ],
  [
    "0 X X - X",
    0,
    { missing: "ALARM", ignore: "ALARM", breaching: "ALARM", notBreaching: "ALARM" },
  ],
  ["- - X - -", 2, { missing: "ALARM", ignore: "keep", breaching: "ALARM", notBreaching: "OK" }],
];

/** "0 - X" (oldest first) → the range newest first, as the evaluator orders it. */
const rangeOf = (row: string): (boolean | undefined)[] =>
  row
    .split(" ")
    .map((c) => (c === "-" ? undefined : c === "X"))
    .reverse();

const MODES: TreatMissingData[] = ["missing", "ignore", "breaching", "notBreaching"];

describe("the missing-data table, row by row", () => {
  for (const [row, filled, expected] of TABLE) {
    for (const mode of MODES) {
      it(`${row} with ${mode} → ${expected[mode]} (${filled} filled)`, () => {
        const d = decideWithMissingData(rangeOf(row), 3, 3, mode);
        expect(d.state ?? "keep").toBe(expected[mode]);
        expect(d.filled).toBe(filled);
      });
    }
  }
});

describe("M out of N", () => {
  it("2 of 3: two breaching datapoints of the last three alarm, in any order", () => {
    expect(decideWithMissingData([true, false, true, false, false], 3, 2, "missing").state).toBe(
      "ALARM",
    );
    expect(decideWithMissingData([false, true, true], 3, 2, "missing").state).toBe("ALARM");
    expect(decideWithMissingData([true, false, false, true, true], 3, 2, "missing").state).toBe(
      "OK",
    );
  });

  it("only the N most recent real datapoints count when the range has more", () => {
    const d = decideWithMissingData([false, undefined, true, true, true], 3, 3, "breaching");
    expect(d.evaluated).toEqual([0, 2, 3]);
    expect(d.state).toBe("OK");
  });

  it("with N real datapoints the treatment of missing data plays no part (property)", () => {
    fc.assert(
      fc.property(
        fc.array(fc.option(fc.boolean(), { nil: undefined }), { minLength: 3, maxLength: 8 }),
        fc.integer({ min: 1, max: 3 }),
        (range, m) => {
          fc.pre(range.filter((r) => r !== undefined).length >= 3);
          const states = MODES.map((mode) => decideWithMissingData(range, 3, m, mode).state);
          expect(new Set(states).size).toBe(1);
        },
      ),
    );
  });

  it("breaching never yields a better state than notBreaching (property)", () => {
    const rank = { OK: 0, INSUFFICIENT_DATA: 1, ALARM: 2 } as const;
    fc.assert(
      fc.property(
        fc.array(fc.option(fc.boolean(), { nil: undefined }), { minLength: 1, maxLength: 7 }),
        fc.integer({ min: 1, max: 5 }),
        (range, n) => {
          const m = Math.min(n, 1 + (range.length % n));
          const bad = decideWithMissingData(range, n, m, "breaching").state!;
          const good = decideWithMissingData(range, n, m, "notBreaching").state!;
          expect(rank[bad]).toBeGreaterThanOrEqual(rank[good]);
        },
      ),
    );
  });
});
