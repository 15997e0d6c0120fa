import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runSoak } from "../../scripts/soak/runSoak.js";
import { formatSoakReport, judgeSoak } from "../../scripts/soak/soakReport.js";
import { natsUrl } from "../fixtures/nats.js";
import { startTestSystem, type TestSystem } from "../fixtures/system.js";
import { checkInvariants, expectNothingLost } from "./fixtures/invariants.js";
import { recordFault } from "./fixtures/recordFault.js";

const SMOKE_MS = 20_000;

/**
 * A short run of the soak (`npm run soak`, scripts/soak.ts) so that it cannot rot: the
 * same mixed load and RSS sampling for 20 s, no request may fail and no service may exit
 * (memory growth is judged only on the long run), and nothing is lost afterwards.
 */
describe("soak smoke: mixed API load for 20 s", () => {
  let sys: TestSystem;

  beforeAll(async () => {
    sys = await startTestSystem("fault_soak");
  });
  afterAll(async () => {
    await sys?.stop();
  });

  it("serves every request of the mixed load, and nothing is lost", async () => {
    const result = await runSoak({
      ecs: sys.ecs(),
      processes: Object.values(sys.system.processes),
      durationMs: SMOKE_MS,
      sampleEveryMs: 2_000,
      concurrency: 3,
      image: "flotilla-test/busybox:latest",
      log: (line) => console.log(line),
    });
    const verdict = judgeSoak(result);
    console.log(formatSoakReport(result, verdict));
    const requests = Object.values(result.operations).reduce((n, o) => n + o.requests, 0);
    recordFault("soak", `smoke: ${requests} requests, 0 errors, in`, result.durationMs);
    expect(requests).toBeGreaterThan(0);
    expect(Object.keys(result.rss)).toHaveLength(4);
    expect(verdict.reasons).toEqual([]);

    const invariants = await checkInvariants(
      {
        databaseUrl: sys.database.url,
        natsUrl: natsUrl(),
        prefix: sys.prefix,
        agentIds: [sys.agentId],
      },
      { convergeTimeoutMs: 60_000 },
    );
    expectNothingLost(invariants);
  }, 150_000);
});
