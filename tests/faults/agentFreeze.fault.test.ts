import {
  CreateServiceCommand,
  DescribeContainerInstancesCommand,
  DescribeServicesCommand,
  DescribeTasksCommand,
  ListContainerInstancesCommand,
  ListTasksCommand,
  RegisterTaskDefinitionCommand,
  type ECSClient,
  type Task,
} from "@aws-sdk/client-ecs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ServiceProcess } from "../../scripts/supervisor.js";
import { natsUrl } from "../fixtures/nats.js";
import { removeAgentContainers, startTestSystem, type TestSystem } from "../fixtures/system.js";
import { waitFor } from "../fixtures/waitFor.js";
import {
  agentContainerIds,
  freeze,
  resume,
  startExtraAgent,
  stopExtraAgent,
} from "./fixtures/agentSignals.js";
import { checkInvariants, expectNothingLost } from "./fixtures/invariants.js";
import { recordFault } from "./fixtures/recordFault.js";

const IMAGE = "flotilla-test/busybox:latest";
const LOOP = ["sh", "-c", "trap 'exit 0' TERM; while true; do sleep 1; done"];
const GRACE_MS = 5_000;
const DESIRED = 4;
const SERVICE = "frozen";

/**
 * Fault: one of two agents is frozen with SIGSTOP past the heartbeat grace, then resumed
 * with SIGCONT. Its process and containers stay, but it sends nothing: the scheduler must
 * mark it disconnected, fence its tasks and run replacements on the other agent; once it
 * runs again it must stop the stale tasks (their containers go), leaving exactly the
 * desired count.
 */
describe("fault: an agent frozen (SIGSTOP) past the heartbeat grace, then resumed", () => {
  let sys: TestSystem;
  let ecs: ECSClient;
  let agentB: ServiceProcess | undefined;
  const agentIdB = () => `${sys.agentId}-b`;

  beforeAll(async () => {
    const resources = {
      FLOTILLA_AGENT_CPU: "1024",
      FLOTILLA_AGENT_MEMORY_MIB: "1024",
      FLOTILLA_AGENT_RESERVED_MEMORY_MIB: "0",
    };
    sys = await startTestSystem("fault_freeze", {
      serviceEnv: {
        agent: { FLOTILLA_AVAILABILITY_ZONE: "us-east-1a", ...resources },
        scheduler: { AGENT_HEARTBEAT_TIMEOUT_MS: String(GRACE_MS), SERVICE_SWEEP_MS: "1000" },
      },
    });
    ecs = sys.ecs();
    agentB = await startExtraAgent(sys, agentIdB(), {
      FLOTILLA_AVAILABILITY_ZONE: "us-east-1b",
      ...resources,
    });
    await waitFor(
      async () =>
        ((await ecs.send(new ListContainerInstancesCommand({}))).containerInstanceArns ?? [])
          .length === 2,
      "both agents to register",
      60_000,
      500,
    );
  });

  afterAll(async () => {
    await stopExtraAgent(agentB);
    await sys?.stop();
    if (sys) await removeAgentContainers(agentIdB());
  });

  const serviceTasks = async (desiredStatus: "RUNNING" | "STOPPED" = "RUNNING") => {
    const arns =
      (await ecs.send(new ListTasksCommand({ serviceName: SERVICE, desiredStatus }))).taskArns ??
      [];
    if (arns.length === 0) return [] as Task[];
    return (await ecs.send(new DescribeTasksCommand({ tasks: arns }))).tasks ?? [];
  };
  const instanceOf = async (agentId: string) => {
    const arns = (
      await ecs.send(new ListContainerInstancesCommand({ filter: `ec2InstanceId == ${agentId}` }))
    ).containerInstanceArns!;
    return (await ecs.send(new DescribeContainerInstancesCommand({ containerInstances: arns })))
      .containerInstances![0]!;
  };

  it("replacements run on the other agent; on resume the stale tasks are stopped and nothing is lost", async () => {
    const { taskDefinition } = await ecs.send(
      new RegisterTaskDefinitionCommand({
        family: "frozen",
        containerDefinitions: [
          { name: "loop", image: IMAGE, cpu: 64, memory: 32, essential: true, command: LOOP },
        ],
      }),
    );
    await ecs.send(
      new CreateServiceCommand({
        serviceName: SERVICE,
        taskDefinition: taskDefinition!.taskDefinitionArn!,
        desiredCount: DESIRED,
        placementStrategy: [{ type: "spread", field: "attribute:ecs.availability-zone" }],
      }),
    );
    const instanceB = (await instanceOf(agentIdB())).containerInstanceArn!;
    const runningOn = (tasks: readonly Task[], instance: string, is = true) =>
      tasks.filter(
        (t) => t.lastStatus === "RUNNING" && (t.containerInstanceArn === instance) === is,
      );
    await waitFor(
      async () => {
        const tasks = await serviceTasks();
        return (
          tasks.length === DESIRED &&
          runningOn(tasks, instanceB).length === DESIRED / 2 &&
          runningOn(tasks, instanceB, false).length === DESIRED / 2
        );
      },
      `${DESIRED} tasks RUNNING, spread over both agents`,
      90_000,
      500,
    );
    const staleTasks = runningOn(await serviceTasks(), instanceB).map((t) => t.taskArn!);
    const staleContainers = await agentContainerIds(agentIdB());
    expect(staleContainers).toHaveLength(DESIRED / 2);

    freeze(agentB!);
    const frozenAt = Date.now();
    try {
      await waitFor(
        async () => (await instanceOf(agentIdB())).agentConnected === false,
        "the frozen agent to be marked disconnected",
        GRACE_MS + 30_000,
        200,
      );
      recordFault("agentFreeze", "detected (agentConnected false)", Date.now() - frozenAt);
      await waitFor(
        async () =>
          (await ecs.send(new DescribeTasksCommand({ tasks: staleTasks }))).tasks!.every(
            (t) => t.desiredStatus === "STOPPED",
          ),
        "the frozen agent's tasks to be fenced (desired STOPPED)",
        30_000,
        200,
      );
      recordFault("agentFreeze", "tasks fenced (desired STOPPED)", Date.now() - frozenAt);
      await waitFor(
        async () => runningOn(await serviceTasks(), instanceB, false).length === DESIRED,
        `${DESIRED} tasks RUNNING on the other agent`,
        60_000,
        200,
      );
      recordFault("agentFreeze", "replacements RUNNING", Date.now() - frozenAt);
      // Frozen, the agent stopped nothing: its containers still run.
      expect(await agentContainerIds(agentIdB())).toEqual(staleContainers);
    } finally {
      resume(agentB!);
    }
    const resumedAt = Date.now();
    await waitFor(
      async () => (await agentContainerIds(agentIdB())).length === 0,
      "the resumed agent to stop its stale containers",
      60_000,
      200,
    );
    recordFault("agentFreeze", "stale containers stopped after SIGCONT", Date.now() - resumedAt);
    await waitFor(
      async () =>
        (await ecs.send(new DescribeTasksCommand({ tasks: staleTasks }))).tasks!.every(
          (t) => t.lastStatus === "STOPPED",
        ),
      "the stale tasks to be reported STOPPED",
      60_000,
      200,
    );
    recordFault("agentFreeze", "stale tasks reported STOPPED", Date.now() - resumedAt);
    await waitFor(
      async () => (await instanceOf(agentIdB())).agentConnected === true,
      "the resumed agent to be connected again",
      30_000,
      200,
    );

    // Settled: exactly the desired count, nothing beyond it anywhere.
    const tasks = await serviceTasks();
    expect(tasks).toHaveLength(DESIRED);
    expect(tasks.every((t) => t.lastStatus === "RUNNING")).toBe(true);
    const { services } = await ecs.send(new DescribeServicesCommand({ services: [SERVICE] }));
    expect(services![0]!.runningCount).toBe(DESIRED);
    const containers = [
      ...(await agentContainerIds(sys.agentId)),
      ...(await agentContainerIds(agentIdB())),
    ];
    expect(containers).toHaveLength(DESIRED);

    const report = await checkInvariants(
      {
        databaseUrl: sys.database.url,
        natsUrl: natsUrl(),
        prefix: sys.prefix,
        agentIds: [sys.agentId, agentIdB()],
      },
      { convergeTimeoutMs: 60_000 },
    );
    expectNothingLost(report);
  }, 240_000);
});
