import { CreateServiceCommand, RunTaskCommand, type ECSClient } from "@aws-sdk/client-ecs";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TestSystem } from "../fixtures/system.js";
import { startTestSystem } from "../fixtures/system.js";
import { checkClientTokens, checkInvariants, expectNothingLost } from "./fixtures/invariants.js";
import { kill9, restart, stopFaultSystem } from "./fixtures/processFaults.js";
import { recordFault, since } from "./fixtures/recordFault.js";
import {
  registerSleeper,
  targetOf,
  untilAcknowledged,
  waitForAgent,
  type Retried,
} from "./fixtures/workload.js";

const SERVICES = 6;
const RUN_TASKS = 8;

/**
 * kill -9 of the api during a burst of token-carrying CreateService and RunTask calls,
 * each retried by the client (same request, same clientToken) until acknowledged; the api
 * comes back on the same port. Every acknowledged token must have exactly one effect.
 */
describe("fault: kill -9 of the api during a burst of idempotent creates", () => {
  let ts: TestSystem;
  let ecs: ECSClient;
  let taskDefinition: string;

  beforeAll(async () => {
    ts = await startTestSystem("fault_api");
    ecs = ts.ecs();
    await waitForAgent(ecs);
    taskDefinition = await registerSleeper(ecs, "burst");
  });
  afterAll(async () => stopFaultSystem(ts));

  it("gives each acknowledged client token exactly one service or task set", async () => {
    const deadline = Date.now() + 60_000;
    const run = `r${Date.now().toString(36)}`;
    const calls: Promise<{ action: string; clientToken: string; arn: string; attempts: number }>[] =
      [];
    const start = performance.now();
    const sendAll = async () => {
      for (let i = 0; i < Math.max(SERVICES, RUN_TASKS); i++) {
        if (i < SERVICES) {
          const clientToken = `${run}-svc-${i}`;
          calls.push(
            untilAcknowledged(
              () =>
                ecs.send(
                  new CreateServiceCommand({
                    serviceName: `burst-${i}`,
                    taskDefinition,
                    desiredCount: i % 2,
                    clientToken,
                  }),
                ),
              deadline,
            ).then((r) => ({
              action: "CreateService",
              clientToken,
              arn: r.result.service!.serviceArn!,
              attempts: r.attempts,
            })),
          );
        }
        if (i < RUN_TASKS) {
          const clientToken = `${run}-task-${i}`;
          calls.push(
            untilAcknowledged(
              () => ecs.send(new RunTaskCommand({ taskDefinition, clientToken, startedBy: run })),
              deadline,
            ).then((r: Retried<{ tasks?: { taskArn?: string }[] }>) => ({
              action: "RunTask",
              clientToken,
              arn: r.result.tasks![0]!.taskArn!,
              attempts: r.attempts,
            })),
          );
        }
        // Spread the burst so the kill lands in its middle.
        await new Promise((r) => setTimeout(r, 50));
      }
    };
    const sending = sendAll();
    await new Promise((r) => setTimeout(r, 250));
    const killedAt = performance.now();
    await kill9(ts, "api");
    await restart(ts, "api");
    const apiBackAt = new Date();
    recordFault("apiKill", "api kill -9 to ready again", since(killedAt));
    await sending;
    const acknowledged = await Promise.all(calls);
    recordFault("apiKill", "burst start to every call acknowledged", since(start));
    const retried = acknowledged.filter((a) => a.attempts > 1).length;
    console.log(
      `[fault] apiKill: ${acknowledged.length} calls acknowledged, ${retried} needed retries`,
    );
    expect(acknowledged).toHaveLength(SERVICES + RUN_TASKS);
    // Tokens whose effect was recorded before the api was back: their later retry was
    // answered from the record (the case a lost reply creates).
    const { rows } = await sql<{ n: string }>`
      SELECT count(*) AS n FROM events
       WHERE recorded_at < ${apiBackAt}
         AND ((type = 'ServiceCreated' AND data->>'clientToken' LIKE ${`${run}-%`})
           OR (type = 'ClientTokenCompleted' AND data->>'clientToken' LIKE ${`${run}-%`}))`.execute(
      ts.database.db,
    );
    console.log(
      `[fault] apiKill: ${rows[0]!.n} tokens took effect before the api was back, then were retried`,
    );

    const target = targetOf(ts);
    expectNothingLost(await checkClientTokens(target, acknowledged));
    const converged = performance.now();
    expectNothingLost(await checkInvariants(target, { convergeTimeoutMs: 45_000 }));
    recordFault("apiKill", "burst end to invariants hold", since(converged));
  });
});
