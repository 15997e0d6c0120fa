import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { retryDelayMs } from "../../../services/scheduler/webhooks/delivery/retryDelay.js";

describe("webhook retry back-off", () => {
  it("doubles from the base and stops at the max", () => {
    expect([1, 2, 3, 4, 5, 6].map((n) => retryDelayMs(n, 1_000, 10_000))).toEqual([
      1_000, 2_000, 4_000, 8_000, 10_000, 10_000,
    ]);
  });

  it("never shrinks as failures grow, and stays within [base, max]", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 10_000 }),
        fc.integer({ min: 1, max: 10_000_000 }),
        fc.integer({ min: 1, max: 500 }),
        (base, extra, failures) => {
          const max = base + extra;
          const d = retryDelayMs(failures, base, max);
          expect(d).toBeGreaterThanOrEqual(base);
          expect(d).toBeLessThanOrEqual(max);
          expect(retryDelayMs(failures + 1, base, max)).toBeGreaterThanOrEqual(d);
        },
      ),
    );
  });
});
