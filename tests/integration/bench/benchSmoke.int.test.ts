import { describe, expect, it } from "vitest";
import { inject } from "vitest";
import { probeSpeed } from "../../bench/speedProbe.js";
import { SUITES } from "../../bench/suites.js";

/** Each benchmark suite at a tiny size, so the suites cannot rot. No timing is asserted. */
describe("benchmark suites (smoke)", () => {
  for (const suite of SUITES) {
    it(`${suite.name} runs and reports its figures with baselines`, async () => {
      const results = await suite.run({
        databaseUrl: inject("databaseUrl"),
        natsUrl: inject("natsUrl"),
        scale: 0.001,
      });
      expect(results.length).toBeGreaterThan(0);
      for (const r of results) {
        expect(r.value).toBeGreaterThan(0);
        if (r.baseline) expect(r.ratio).toBeGreaterThan(0);
      }
    });
  }

  it("probes the machine's speed, as every result file records it", async () => {
    const probe = await probeSpeed();
    expect(probe.computeMs).toBeGreaterThan(0);
    expect(probe.loopbackRoundTripUs).toBeGreaterThan(0);
    expect(Number.isFinite(probe.computeMs + probe.loopbackRoundTripUs)).toBe(true);
  });
});
