import {
  CreateClusterCommand,
  CreateServiceCommand,
  DescribeServicesCommand,
  DescribeTasksCommand,
  ListTasksCommand,
  PutClusterCapacityProvidersCommand,
  RegisterTaskDefinitionCommand,
  UpdateServiceCommand,
  type ECSClient,
  type Service,
  type Task,
} from "@aws-sdk/client-ecs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { stopService, type ServiceProcess } from "../../scripts/supervisor.js";
import { foldTask, type TaskState } from "../../shared/publicEvents/taskStateChange.js";
import type { RecordedEvent } from "../../shared/eventstore/index.js";
import { signedFetch } from "../fixtures/iam.js";
import { startTestSystem, TEST_ACCESS_KEY, type TestSystem } from "../fixtures/system.js";
import { startPoolAgent } from "../fixtures/poolAgent.js";
import { waitFor as pollUntil } from "../fixtures/waitFor.js";

const CLUSTER = "spot-demo";
const SERVICE = "web";
const STRATEGY = [
  { capacityProvider: "FARGATE", base: 1, weight: 1 },
  { capacityProvider: "FARGATE_SPOT", weight: 3 },
];
const WARNING = "will be stopped: Fargate Spot capacity is being reclaimed.";

const waitFor = (check: () => Promise<boolean>, what: string, ms = 90_000) =>
  pollUntil(check, what, ms, 500);

/**
 * A service through the FARGATE and FARGATE_SPOT capacity providers, on pool
 * agents (hollow runtimes: the scheduler's split is under test, not Docker),
 * through the AWS SDK: FARGATE base 1 weight 1 + FARGATE_SPOT weight 3 at 9
 * tasks runs 3 + 6; FlotillaV1.InterruptSpotTasks warns and stops the spot
 * tasks (SpotInterruption), and the service replaces them, 3 + 6 again.
 */
describe("services through capacity providers, and Fargate Spot interruption", () => {
  let sys: TestSystem;
  let ecs: ECSClient;
  const pools: ServiceProcess[] = [];

  /** Its agent id: Fargate hides a task's container instance, InterruptSpotTasks takes this. */
  const poolAgentId = (pool: "FARGATE" | "FARGATE_SPOT") =>
    `${sys.agentId}-${pool.toLowerCase().replace("_", "-")}`;

  const flotilla = async (action: string, body: unknown): Promise<Response> =>
    signedFetch(
      sys.endpoint,
      {
        headers: {
          "content-type": "application/x-amz-json-1.1",
          "x-amz-target": `FlotillaV1.${action}`,
        },
        body: JSON.stringify(body),
      },
      TEST_ACCESS_KEY,
    );

  const describeService = async (): Promise<Service> =>
    (await ecs.send(new DescribeServicesCommand({ cluster: CLUSTER, services: [SERVICE] })))
      .services![0]!;

  const tasksOf = async (desiredStatus: "RUNNING" | "STOPPED"): Promise<Task[]> => {
    const arns =
      (
        await ecs.send(
          new ListTasksCommand({ cluster: CLUSTER, serviceName: SERVICE, desiredStatus }),
        )
      ).taskArns ?? [];
    if (arns.length === 0) return [];
    const out: Task[] = [];
    for (let i = 0; i < arns.length; i += 100) {
      const page = await ecs.send(
        new DescribeTasksCommand({ cluster: CLUSTER, tasks: arns.slice(i, i + 100) }),
      );
      out.push(...(page.tasks ?? []));
    }
    return out;
  };

  const running = async (): Promise<Task[]> =>
    (await tasksOf("RUNNING")).filter((t) => t.lastStatus === "RUNNING");

  const split = (tasks: readonly Task[]): Record<string, number> => {
    const out: Record<string, number> = {};
    for (const t of tasks) {
      const p = t.capacityProviderName ?? "none";
      out[p] = (out[p] ?? 0) + 1;
    }
    return out;
  };

  beforeAll(async () => {
    sys = await startTestSystem("e2e_cp_services", {
      serviceEnv: { scheduler: { SERVICE_SWEEP_MS: "1000" } },
    });
    ecs = sys.ecs();
    for (const pool of ["FARGATE", "FARGATE_SPOT"] as const) {
      pools.push((await startPoolAgent(sys, pool, { hollow: true })).process);
    }
    await ecs.send(new CreateClusterCommand({ clusterName: CLUSTER }));
    await ecs.send(
      new PutClusterCapacityProvidersCommand({
        cluster: CLUSTER,
        capacityProviders: ["FARGATE", "FARGATE_SPOT"],
        defaultCapacityProviderStrategy: [],
      }),
    );
    await ecs.send(
      new RegisterTaskDefinitionCommand({
        family: "spot-web",
        requiresCompatibilities: ["FARGATE"],
        networkMode: "awsvpc",
        cpu: "256",
        memory: "512",
        containerDefinitions: [
          {
            name: "web",
            image: "flotilla-test/busybox:latest",
            essential: true,
            command: ["sleep", "3600"],
            stopTimeout: 2,
          },
        ],
      }),
    );
  }, 180_000);

  afterAll(async () => {
    for (const p of pools) await stopService(p, 5_000);
    await sys?.stop();
  });

  it("CreateService with FARGATE base 1 weight 1 + FARGATE_SPOT weight 3 at 9 runs 3 + 6", async () => {
    const created = await ecs.send(
      new CreateServiceCommand({
        cluster: CLUSTER,
        serviceName: SERVICE,
        taskDefinition: "spot-web",
        desiredCount: 9,
        capacityProviderStrategy: STRATEGY,
        networkConfiguration: { awsvpcConfiguration: { subnets: ["subnet-1"] } },
      }),
    );
    expect(created.service?.launchType).toBeUndefined();
    expect(created.service?.capacityProviderStrategy).toEqual([
      { capacityProvider: "FARGATE", base: 1, weight: 1 },
      { capacityProvider: "FARGATE_SPOT", base: 0, weight: 3 },
    ]);
    await waitFor(async () => (await running()).length === 9, "9 running tasks", 120_000);
    const tasks = await running();
    expect(split(tasks)).toEqual({ FARGATE: 3, FARGATE_SPOT: 6 });
    expect(new Set(tasks.map((t) => t.launchType))).toEqual(new Set(["FARGATE"]));
    const service = await describeService();
    expect(service.runningCount).toBe(9);
    expect(service.deployments?.[0]?.capacityProviderStrategy).toHaveLength(2);
    expect(service.deployments?.[0]?.launchType).toBeUndefined();
  }, 180_000);

  it("InterruptSpotTasks refuses a task that is not FARGATE_SPOT, naming it", async () => {
    const fargate = (await running()).find((t) => t.capacityProviderName === "FARGATE")!;
    const res = await flotilla("InterruptSpotTasks", {
      cluster: CLUSTER,
      tasks: [fargate.taskArn],
    });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { __type?: string; message?: string };
    expect(body.__type).toContain("InvalidParameterException");
    expect(body.message).toContain(fargate.taskArn);
  });

  it("an interruption warns, stops the spot tasks with SpotInterruption, and the split comes back", async () => {
    const spot = (await running()).filter((t) => t.capacityProviderName === "FARGATE_SPOT");
    expect(spot).toHaveLength(6);
    const interruptedArns = spot.map((t) => t.taskArn!);
    const res = await flotilla("InterruptSpotTasks", { cluster: CLUSTER, tasks: interruptedArns });
    expect(res.status).toBe(200);
    const reply = (await res.json()) as { interruptedTasks: { taskArn: string }[] };
    expect(reply.interruptedTasks.map((t) => t.taskArn).sort()).toEqual(
      [...interruptedArns].sort(),
    );

    // The warning: a service event per task, before they stop.
    const messages = (await describeService()).events!.map((e) => e.message!);
    for (const arn of interruptedArns) {
      const id = arn.slice(arn.lastIndexOf("/") + 1);
      expect(messages).toContain(`(service ${SERVICE}) (task ${id}) ${WARNING}`);
    }

    // They stop with ECS's code and reason.
    await waitFor(async () => {
      const stopped = await tasksOf("STOPPED");
      return interruptedArns.every((arn) =>
        stopped.some((t) => t.taskArn === arn && t.lastStatus === "STOPPED"),
      );
    }, "the interrupted tasks to stop");
    const stopped = (await tasksOf("STOPPED")).filter((t) => interruptedArns.includes(t.taskArn!));
    for (const t of stopped) {
      expect(t.stopCode).toBe("SpotInterruption");
      expect(t.stoppedReason).toBe("Your Spot Task was interrupted.");
    }

    // Replacements run: 9 again, 3 + 6, the spot ones new.
    await waitFor(async () => {
      const now = await running();
      return now.length === 9 && split(now).FARGATE_SPOT === 6;
    }, "the replacements to run");
    const after = await running();
    expect(split(after)).toEqual({ FARGATE: 3, FARGATE_SPOT: 6 });
    expect(after.filter((t) => interruptedArns.includes(t.taskArn!))).toEqual([]);

    // The public "ECS Task State Change" came first: desiredStatus STOPPED, stopCode
    // SpotInterruption, while the task still ran.
    const history = await flotilla("GetResourceHistory", {
      resourceArn: interruptedArns[0],
      scanBy: "TimestampAscending",
    });
    const events = (
      (await history.json()) as { events: { eventType: string; data: Record<string, unknown> }[] }
    ).events;
    let state: TaskState | undefined;
    let warning: TaskState | undefined;
    for (const e of events) {
      state = foldTask(state, { type: e.eventType, data: e.data } as unknown as RecordedEvent);
      if (e.eventType === "TaskStopRequested") warning = state;
    }
    expect(warning).toMatchObject({
      desiredStatus: "STOPPED",
      lastStatus: "RUNNING",
      stopCode: "SpotInterruption",
    });
    expect(state?.lastStatus).toBe("STOPPED");
  }, 180_000);
  it("interrupts by count and by FARGATE_SPOT instance; a FARGATE pool instance is refused", async () => {
    const before = await running();
    const refused = await flotilla("InterruptSpotTasks", {
      containerInstance: poolAgentId("FARGATE"),
    });
    expect(refused.status).toBe(400);
    expect(((await refused.json()) as { message: string }).message).toContain(
      "not an instance of the FARGATE_SPOT capacity pool",
    );

    const byCount = await flotilla("InterruptSpotTasks", { cluster: CLUSTER, count: 2 });
    expect(byCount.status).toBe(200);
    const counted = ((await byCount.json()) as { interruptedTasks: { taskArn: string }[] })
      .interruptedTasks;
    expect(counted).toHaveLength(2);

    const spot = before.filter(
      (t) =>
        t.capacityProviderName === "FARGATE_SPOT" && !counted.some((c) => c.taskArn === t.taskArn),
    );
    expect(spot).toHaveLength(4);
    // The only FARGATE_SPOT instance: every spot task is on it.
    const byInstance = await flotilla("InterruptSpotTasks", {
      containerInstance: poolAgentId("FARGATE_SPOT"),
    });
    expect(byInstance.status).toBe(200);
    const onInstance = (
      (await byInstance.json()) as { interruptedTasks: { taskArn: string }[] }
    ).interruptedTasks.map((t) => t.taskArn);
    expect(onInstance).toEqual(expect.arrayContaining(spot.map((t) => t.taskArn)));
    // The two already stopping are not interrupted twice.
    expect(onInstance.filter((a) => counted.some((c) => c.taskArn === a))).toEqual([]);

    await waitFor(async () => {
      const now = await running();
      return (
        now.length === 9 &&
        split(now).FARGATE_SPOT === 6 &&
        now.every((t) => !onInstance.includes(t.taskArn!))
      );
    }, "the split to come back after the second interruption");
    expect(split(await running())).toEqual({ FARGATE: 3, FARGATE_SPOT: 6 });
    // The FARGATE tasks were never touched.
    expect((await running()).map((t) => t.taskArn)).toEqual(
      expect.arrayContaining(
        before.filter((t) => t.capacityProviderName === "FARGATE").map((t) => t.taskArn),
      ),
    );
  }, 180_000);
  it("UpdateService: a new strategy needs forceNewDeployment, then the tasks move", async () => {
    const err = await ecs
      .send(
        new UpdateServiceCommand({
          cluster: CLUSTER,
          service: SERVICE,
          capacityProviderStrategy: [{ capacityProvider: "FARGATE", weight: 1 }],
        }),
      )
      .then(
        () => undefined,
        (e: unknown) => e as Error,
      );
    expect(err?.name).toBe("InvalidParameterException");
    expect(err?.message).toContain("you must force a new deployment");

    const updated = await ecs.send(
      new UpdateServiceCommand({
        cluster: CLUSTER,
        service: SERVICE,
        capacityProviderStrategy: [{ capacityProvider: "FARGATE", weight: 1 }],
        forceNewDeployment: true,
      }),
    );
    expect(updated.service?.deployments?.[0]?.capacityProviderStrategy).toEqual([
      { capacityProvider: "FARGATE", weight: 1, base: 0 },
    ]);
    await waitFor(async () => {
      const now = await running();
      return now.length === 9 && split(now).FARGATE === 9;
    }, "every task to move to FARGATE");
    await waitFor(
      async () => (await describeService()).deployments?.length === 1,
      "the old deployment to retire",
    );
  }, 180_000);

  it("a service with launchType FARGATE runs on the FARGATE pool, with no provider name", async () => {
    await ecs.send(
      new CreateServiceCommand({
        cluster: CLUSTER,
        serviceName: "plain",
        taskDefinition: "spot-web",
        desiredCount: 2,
        launchType: "FARGATE",
      }),
    );
    const plain = async () => {
      const arns =
        (
          await ecs.send(
            new ListTasksCommand({
              cluster: CLUSTER,
              serviceName: "plain",
              desiredStatus: "RUNNING",
            }),
          )
        ).taskArns ?? [];
      if (arns.length === 0) return [];
      return (
        (await ecs.send(new DescribeTasksCommand({ cluster: CLUSTER, tasks: arns }))).tasks ?? []
      ).filter((t) => t.lastStatus === "RUNNING");
    };
    await waitFor(async () => (await plain()).length === 2, "2 FARGATE tasks");
    for (const t of await plain()) {
      expect(t.launchType).toBe("FARGATE");
      expect(t.capacityProviderName).toBeUndefined();
    }
    const service = (
      await ecs.send(new DescribeServicesCommand({ cluster: CLUSTER, services: ["plain"] }))
    ).services![0]!;
    expect(service.launchType).toBe("FARGATE");
    expect(service.capacityProviderStrategy).toBeUndefined();
  }, 120_000);
});
