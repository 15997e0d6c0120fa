import { describe, expect, it } from "vitest";
import {
  formatSoakReport,
  judgeMemory,
  judgeSoak,
  type RssSample,
  type SoakResult,
} from "../../../scripts/soak/soakReport.js";

const MIB = 1024 * 1024;
const MINUTES = 10 * 60_000;
/** One sample every 10 s over ten minutes, `mib(t)` MiB at time t (0..1). */
const series = (mib: (t: number) => number): RssSample[] =>
  Array.from({ length: 61 }, (_, i) => ({
    atMs: i * 10_000,
    rssBytes: Math.round(mib(i / 60) * MIB),
  }));

describe("the soak's memory judgement", () => {
  it("a rise during warm-up that then levels off is ok", () => {
    const plateau = series((t) => (t < 0.2 ? 150 + 300 * t : 210));
    expect(judgeMemory("api", plateau, MINUTES).verdict).toBe("ok");
  });

  it("a steady climb after warm-up is growing", () => {
    const climb = series((t) => 150 + 120 * t);
    expect(judgeMemory("scheduler", climb, MINUTES).verdict).toBe("growing");
  });

  it("noise around a level is ok, and a run too short is not judged", () => {
    const noisy = series((t) => 160 + 15 * Math.sin(t * 40));
    expect(judgeMemory("agent", noisy, MINUTES).verdict).toBe("ok");
    expect(
      judgeMemory(
        "agent",
        series((t) => 150 + 120 * t),
        20_000,
      ).verdict,
    ).toBe("too short");
  });

  it("fails on a failed request, an exited service or growth, and says which", () => {
    const result: SoakResult = {
      durationMs: MINUTES,
      operations: {
        RunTask: {
          requests: 10,
          retries: 2,
          errors: 1,
          latenciesMs: [5, 7],
          errorNames: { ServerException: 1 },
        },
      },
      rss: { scheduler: series((t) => 150 + 120 * t), api: series(() => 150) },
      exited: ["agent"],
    };
    const verdict = judgeSoak(result);
    expect(verdict.ok).toBe(false);
    expect(verdict.reasons).toEqual([
      "1 of 10 requests failed (RunTask: ServerException ×1)",
      "agent exited during the soak",
      expect.stringContaining("scheduler's memory keeps growing"),
    ]);
    expect(formatSoakReport(result, verdict)).toContain("FAIL:");
  });
});
