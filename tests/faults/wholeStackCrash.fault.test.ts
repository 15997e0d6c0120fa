import {
  CreateServiceCommand,
  DescribeServicesCommand,
  RunTaskCommand,
  UpdateServiceCommand,
  type ECSClient,
} from "@aws-sdk/client-ecs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SERVICE_NAMES } from "../../scripts/supervisor.js";
import type { TestSystem } from "../fixtures/system.js";
import { startTestSystem } from "../fixtures/system.js";
import { waitFor } from "../fixtures/waitFor.js";
import { checkClientTokens, checkInvariants, expectNothingLost } from "./fixtures/invariants.js";
import { restart, stopFaultSystem } from "./fixtures/processFaults.js";
import { recordFault, since } from "./fixtures/recordFault.js";
import { registerSleeper, targetOf, untilAcknowledged, waitForAgent } from "./fixtures/workload.js";

const RUN_TASKS = 4;

/**
 * Every process SIGKILLed at once (a power cut of the host, Postgres and NATS aside) while
 * a scale-out and a burst of idempotent RunTask calls are in flight; then all four start
 * again on the same database and prefix. Everything converges: the service runs its new
 * desired count, the agent adopts the containers it had, every acknowledged token has one
 * effect, and the invariants hold.
 */
describe("fault: whole-stack crash and restart", () => {
  let ts: TestSystem;
  let ecs: ECSClient;
  let taskDefinition: string;

  beforeAll(async () => {
    ts = await startTestSystem("fault_crash", {
      serviceEnv: { scheduler: { SERVICE_SWEEP_MS: "1000" } },
    });
    ecs = ts.ecs();
    await waitForAgent(ecs);
    taskDefinition = await registerSleeper(ecs, "crash");
  });
  afterAll(async () => stopFaultSystem(ts));

  it("converges after every process is killed at once", async () => {
    await ecs.send(
      new CreateServiceCommand({ serviceName: "steady", taskDefinition, desiredCount: 2 }),
    );
    await waitFor(
      async () =>
        (await ecs.send(new DescribeServicesCommand({ services: ["steady"] }))).services?.[0]
          ?.runningCount === 2,
      "the service to run 2 tasks",
      60_000,
      500,
    );

    // Activity in flight at the crash: a scale-out and token-carrying RunTask calls that
    // the client keeps retrying through the outage.
    const deadline = Date.now() + 90_000;
    const run = `r${Date.now().toString(36)}`;
    const scaled = untilAcknowledged(
      () => ecs.send(new UpdateServiceCommand({ service: "steady", desiredCount: 4 })),
      deadline,
    );
    const calls = Array.from({ length: RUN_TASKS }, (_, i) => {
      const clientToken = `${run}-${i}`;
      return untilAcknowledged(
        () => ecs.send(new RunTaskCommand({ taskDefinition, clientToken, startedBy: run })),
        deadline,
        500,
      ).then((r) => ({
        action: "RunTask",
        clientToken,
        arn: r.result.tasks![0]!.taskArn!,
      }));
    });
    await new Promise((r) => setTimeout(r, 300));
    const crashedAt = performance.now();
    await ts.system.kill();
    await Promise.all(SERVICE_NAMES.map((name) => restart(ts, name, 90_000)));
    recordFault("wholeStackCrash", "SIGKILL of all to every service ready", since(crashedAt));

    await scaled;
    const acknowledged = await Promise.all(calls);
    recordFault("wholeStackCrash", "SIGKILL of all to every call acknowledged", since(crashedAt));
    expect(acknowledged).toHaveLength(RUN_TASKS);

    const target = targetOf(ts);
    expectNothingLost(await checkClientTokens(target, acknowledged));
    expectNothingLost(await checkInvariants(target, { convergeTimeoutMs: 60_000 }));
    recordFault("wholeStackCrash", "SIGKILL of all to invariants hold", since(crashedAt));
  });
});
