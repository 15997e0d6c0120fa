import { RunTaskCommand, type ECSClient } from "@aws-sdk/client-ecs";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TestSystem } from "../fixtures/system.js";
import { startTestSystem } from "../fixtures/system.js";
import { waitFor } from "../fixtures/waitFor.js";
import { checkClientTokens, checkInvariants, expectNothingLost } from "./fixtures/invariants.js";
import { kill9, restart, stopFaultSystem } from "./fixtures/processFaults.js";
import { recordFault, since } from "./fixtures/recordFault.js";
import { registerSleeper, targetOf, untilAcknowledged, waitForAgent } from "./fixtures/workload.js";

const RUN_TASKS = 3;
const COUNT = 4;

/**
 * kill -9 of the scheduler while a token-carrying RunTask has claimed its token and not
 * yet recorded its answer: the claim is abandoned. The client's retries must end in one
 * answer, and the tasks the dead scheduler already created must be that answer, not be
 * launched a second time.
 */
describe("fault: kill -9 of the scheduler inside an idempotent RunTask", () => {
  let ts: TestSystem;
  let ecs: ECSClient;
  let taskDefinition: string;

  beforeAll(async () => {
    ts = await startTestSystem("fault_claim");
    ecs = ts.ecs();
    await waitForAgent(ecs);
    taskDefinition = await registerSleeper(ecs, "claimed");
  });
  afterAll(async () => stopFaultSystem(ts));

  /** Claims of this run not yet answered, and of those, how many created tasks already. */
  const openClaims = async (run: string): Promise<{ open: number; partial: number }> => {
    const { rows } = await sql<{ open: string; partial: string }>`
      SELECT count(*) AS open,
             count(*) FILTER (WHERE EXISTS (
               SELECT 1 FROM events t WHERE t.type = 'TaskCreated'
                  AND t.metadata->>'commandId' = c.metadata->>'commandId')) AS partial
        FROM events c
       WHERE c.type = 'ClientTokenClaimed' AND c.data->>'clientToken' LIKE ${`${run}-%`}
         AND NOT EXISTS (SELECT 1 FROM events d
                          WHERE d.type IN ('ClientTokenCompleted', 'ClientTokenReleased')
                            AND d.data->>'claimId' = c.data->>'claimId')`.execute(ts.database.db);
    return { open: Number(rows[0]!.open), partial: Number(rows[0]!.partial) };
  };

  it("answers every token once, with the tasks the dead scheduler created", async () => {
    const run = `r${Date.now().toString(36)}`;
    const deadline = Date.now() + 120_000;
    const calls = Array.from({ length: RUN_TASKS }, (_, i) => {
      const clientToken = `${run}-${i}`;
      return untilAcknowledged(
        () =>
          ecs.send(
            new RunTaskCommand({ taskDefinition, clientToken, count: COUNT, startedBy: run }),
          ),
        deadline,
        1_000,
      ).then((r) => ({
        action: "RunTask",
        clientToken,
        arn: r.result.tasks![0]!.taskArn!,
        tasks: r.result.tasks!.length,
      }));
    });
    // Best: kill while a claim has created some of its tasks but not all; failing that
    // (after 3 s), while any claim is open.
    const began = Date.now();
    await waitFor(
      async () => {
        const claims = await openClaims(run);
        return claims.partial > 0 || (claims.open > 0 && Date.now() - began > 3_000);
      },
      "a claimed token",
      30_000,
      5,
    );
    const killedAt = performance.now();
    await kill9(ts, "scheduler");
    const { open: abandoned, partial } = await openClaims(run);
    console.log(
      `[fault] schedulerKillRunTask: ${abandoned} claims open at the kill, ${partial} with tasks`,
    );
    await restart(ts, "scheduler");
    recordFault("schedulerKillRunTask", "scheduler kill -9 to ready again", since(killedAt));

    const acknowledged = await Promise.all(calls);
    recordFault("schedulerKillRunTask", "kill -9 to every call acknowledged", since(killedAt));
    // Tasks the abandoned claims had created, which their takeover answered with.
    const { rows } = await sql<{ n: string }>`
      SELECT count(*) AS n FROM events t
       WHERE t.type = 'TaskCreated'
         AND t.metadata->>'commandId' IN (
           SELECT c.metadata->>'commandId' FROM events c
            WHERE c.type = 'ClientTokenClaimed' AND c.data->>'clientToken' LIKE ${`${run}-%`}
              AND NOT EXISTS (SELECT 1 FROM events d WHERE d.type = 'ClientTokenCompleted'
                               AND d.data->>'claimId' = c.data->>'claimId'))`.execute(
      ts.database.db,
    );
    console.log(`[fault] schedulerKillRunTask: ${rows[0]!.n} tasks of abandoned claims adopted`);
    expect(abandoned).toBeGreaterThan(0);
    for (const a of acknowledged) expect(a.tasks).toBe(COUNT);

    const target = targetOf(ts);
    expectNothingLost(await checkClientTokens(target, acknowledged));
    expectNothingLost(await checkInvariants(target, { convergeTimeoutMs: 45_000 }));
  });
});
