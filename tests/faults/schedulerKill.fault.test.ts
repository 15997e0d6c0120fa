import {
  CreateServiceCommand,
  DescribeServicesCommand,
  UpdateServiceCommand,
  type ECSClient,
  type Service,
} from "@aws-sdk/client-ecs";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TestSystem } from "../fixtures/system.js";
import { startTestSystem } from "../fixtures/system.js";
import { waitFor } from "../fixtures/waitFor.js";
import { checkInvariants, expectNothingLost } from "./fixtures/invariants.js";
import { kill9, restart, stopFaultSystem } from "./fixtures/processFaults.js";
import { recordFault, since } from "./fixtures/recordFault.js";
import { registerSleeper, targetOf, waitForAgent } from "./fixtures/workload.js";

const DESIRED = 4;
const MAX_PERCENT = 150;
const MAX_TOTAL = Math.floor((DESIRED * MAX_PERCENT) / 100);

/**
 * kill -9 of the scheduler in the middle of a rolling update (UpdateService to a new task
 * definition), then a restart: the deployment completes, and the service never has more
 * tasks than maximumPercent allows (no task launched twice by the new scheduler).
 */
describe("fault: kill -9 of the scheduler mid-deployment", () => {
  let ts: TestSystem;
  let ecs: ECSClient;
  let v1: string;
  let v2: string;

  beforeAll(async () => {
    ts = await startTestSystem("fault_sched", {
      serviceEnv: { scheduler: { SERVICE_SWEEP_MS: "1000" } },
    });
    ecs = ts.ecs();
    await waitForAgent(ecs);
    v1 = await registerSleeper(ecs, "rolling", "v1");
    v2 = await registerSleeper(ecs, "rolling", "v2");
  });
  afterAll(async () => stopFaultSystem(ts));

  const describeService = async (): Promise<Service | undefined> =>
    (await ecs.send(new DescribeServicesCommand({ services: ["rolling"] }))).services?.[0];

  /** The service's tasks not yet STOPPED, straight from the projection (the api may be busy). */
  const presentTasks = async (): Promise<{ total: number; v2: number }> => {
    const { rows } = await sql<{ total: string; v2: string }>`
      SELECT count(*) AS total, count(*) FILTER (WHERE task_definition_arn = ${v2}) AS v2
        FROM tasks WHERE task_group = 'service:rolling' AND last_status <> 'STOPPED'`.execute(
      ts.database.db,
    );
    return { total: Number(rows[0]!.total), v2: Number(rows[0]!.v2) };
  };

  it("completes the deployment after the restart without an extra task", async () => {
    await ecs.send(
      new CreateServiceCommand({
        serviceName: "rolling",
        taskDefinition: v1,
        desiredCount: DESIRED,
        deploymentConfiguration: { minimumHealthyPercent: 50, maximumPercent: MAX_PERCENT },
      }),
    );
    await waitFor(
      async () => {
        const s = await describeService();
        return s?.runningCount === DESIRED && s.deployments?.length === 1;
      },
      "the first deployment to run 4 tasks",
      60_000,
      500,
    );

    // Sample the number of tasks present the whole time, the fault included.
    let peak = 0;
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        const present = await presentTasks().catch(() => undefined);
        if (present) peak = Math.max(peak, present.total);
        await new Promise((r) => setTimeout(r, 100));
      }
    })();

    await ecs.send(new UpdateServiceCommand({ service: "rolling", taskDefinition: v2 }));
    await waitFor(async () => (await presentTasks()).v2 > 0, "the first v2 task", 30_000, 50);
    const killedAt = performance.now();
    await kill9(ts, "scheduler");
    await restart(ts, "scheduler");
    recordFault("schedulerKill", "scheduler kill -9 to ready again", since(killedAt));

    await waitFor(
      async () => {
        const s = await describeService().catch(() => undefined);
        const primary = s?.deployments?.find((d) => d.status === "PRIMARY");
        return (
          s?.deployments?.length === 1 &&
          primary?.taskDefinition === v2 &&
          primary.rolloutState === "COMPLETED" &&
          s.runningCount === DESIRED
        );
      },
      "the v2 deployment to complete",
      90_000,
      250,
    );
    recordFault("schedulerKill", "kill -9 to deployment COMPLETED", since(killedAt));
    sampling = false;
    await sampler;
    console.log(`[fault] schedulerKill: peak tasks present ${peak}, limit ${MAX_TOTAL}`);
    expect(peak).toBeLessThanOrEqual(MAX_TOTAL);

    const checkedAt = performance.now();
    expectNothingLost(await checkInvariants(targetOf(ts), { convergeTimeoutMs: 30_000 }));
    recordFault("schedulerKill", "deployment COMPLETED to invariants hold", since(checkedAt));
  });
});
