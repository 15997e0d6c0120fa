import {
  DeregisterContainerInstanceCommand,
  DescribeContainerInstancesCommand,
  DescribeTasksCommand,
  ListContainerInstancesCommand,
  RegisterTaskDefinitionCommand,
  RunTaskCommand,
  waitUntilTasksRunning,
  waitUntilTasksStopped,
  type ECSClient,
} from "@aws-sdk/client-ecs";
import Docker from "dockerode";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  findFreePort,
  startService,
  stopService,
  waitUntilReady,
  type ServiceProcess,
} from "../../scripts/supervisor.js";
import { removeAgentContainers, startTestSystem, type TestSystem } from "../fixtures/system.js";
import { waitFor } from "../fixtures/waitFor.js";

const IMAGE = "flotilla-test/busybox:latest";
const LOOP = ["sh", "-c", "trap 'exit 0' TERM; while true; do sleep 1; done"];

describe("node agents on one host", () => {
  let sys: TestSystem;
  let ecs: ECSClient;
  const docker = new Docker();
  const extra: ServiceProcess[] = [];

  beforeAll(async () => {
    sys = await startTestSystem("e2e_agents");
    ecs = sys.ecs();
    await waitFor(
      async () =>
        ((await ecs.send(new ListContainerInstancesCommand({}))).containerInstanceArns ?? [])
          .length === 1,
      "the first agent to register",
    );
  });
  afterAll(async () => {
    for (const p of extra) await stopService(p, 5_000);
    await sys?.stop();
    await removeAgentContainers(`${sys?.agentId}-b`);
  });

  /** Another agent process like the system's own, with another id, zone and health port. */
  const startAgent = async (env: Record<string, string>) => {
    const base = sys.system.processes.agent!;
    const port = await findFreePort();
    const proc = startService(
      {
        name: `agent-${extra.length + 2}`,
        entry: "services/agent/main.ts",
        env: { ...base.env, HEALTH_PORT: String(port), ...env },
        healthUrl: `http://127.0.0.1:${port}`,
      },
      {},
    );
    extra.push(proc);
    await waitUntilReady(proc, 60_000);
    return proc;
  };

  it("two agents in different zones register as two instances with their resources", async () => {
    await startAgent({
      FLOTILLA_AGENT_ID: `${sys.agentId}-b`,
      FLOTILLA_AVAILABILITY_ZONE: "us-east-1b",
      FLOTILLA_AGENT_CPU: "1024",
      FLOTILLA_AGENT_MEMORY_MIB: "2048",
      FLOTILLA_AGENT_RESERVED_MEMORY_MIB: "0",
    });
    await waitFor(
      async () =>
        ((await ecs.send(new ListContainerInstancesCommand({}))).containerInstanceArns ?? [])
          .length === 2,
      "the second agent to register",
    );
    const arns = (await ecs.send(new ListContainerInstancesCommand({}))).containerInstanceArns!;
    const { containerInstances } = await ecs.send(
      new DescribeContainerInstancesCommand({ containerInstances: arns }),
    );
    const byAgent = new Map(containerInstances!.map((ci) => [ci.ec2InstanceId, ci]));
    const b = byAgent.get(`${sys.agentId}-b`)!;
    const zoneOf = (ci: typeof b) =>
      ci.attributes?.find((a) => a.name === "ecs.availability-zone")?.value;
    expect(zoneOf(b)).toBe("us-east-1b");
    expect(zoneOf(byAgent.get(sys.agentId)!)).toBe("us-east-1a");
    expect(b.registeredResources?.find((r) => r.name === "CPU")?.integerValue).toBe(1024);
    expect(b.registeredResources?.find((r) => r.name === "MEMORY")?.integerValue).toBe(2048);
    expect(b.remainingResources?.find((r) => r.name === "MEMORY")?.integerValue).toBe(2048);
    // Stop the second agent and deregister its instance, so the next test's tasks land on the
    // system's own agent.
    await stopService(extra.pop()!, 5_000);
    await ecs.send(
      new DeregisterContainerInstanceCommand({ containerInstance: b.containerInstanceArn! }),
    );
  });

  it("kill -9 of the agent with three tasks running: they are adopted, none started twice, one stopped meanwhile is reported", async () => {
    const { taskDefinition } = await ecs.send(
      new RegisterTaskDefinitionCommand({
        family: "loop",
        containerDefinitions: [{ name: "loop", image: IMAGE, memory: 16, command: LOOP }],
      }),
    );
    const own = (
      await ecs.send(
        new ListContainerInstancesCommand({ filter: `ec2InstanceId == ${sys.agentId}` }),
      )
    ).containerInstanceArns![0]!;
    const tasks: string[] = [];
    for (let i = 0; i < 3; i++) {
      const run = await ecs.send(
        new RunTaskCommand({ taskDefinition: taskDefinition!.taskDefinitionArn!, count: 1 }),
      );
      const t = run.tasks?.[0];
      expect(run.failures, JSON.stringify(run.failures)).toEqual([]);
      expect(t?.containerInstanceArn).toBe(own);
      tasks.push(t!.taskArn!);
    }
    await waitUntilTasksRunning(
      { client: ecs, maxWaitTime: 60, minDelay: 1, maxDelay: 1 },
      { tasks },
    );
    const label = { label: [`com.flotilla.agent-id=${sys.agentId}`] };
    const before = (await docker.listContainers({ all: true, filters: label }))
      .map((c) => c.Id)
      .sort();
    expect(before).toHaveLength(3);

    const agent = sys.system.processes.agent!;
    process.kill(agent.pid!, "SIGKILL");
    await agent.exited;
    // While the agent is down, one task's container ends.
    const gone = (await ecs.send(new DescribeTasksCommand({ tasks: [tasks[2]!] }))).tasks![0]!
      .containers![0]!.runtimeId!;
    await docker.getContainer(gone).stop({ t: 5 });

    const restarted = startService(
      {
        name: "agent",
        entry: "services/agent/main.ts",
        env: agent.env,
        healthUrl: agent.healthUrl,
      },
      {},
    );
    extra.push(restarted);
    await waitUntilReady(restarted, 60_000);

    await waitUntilTasksStopped(
      { client: ecs, maxWaitTime: 60, minDelay: 1, maxDelay: 1 },
      { tasks: [tasks[2]!] },
    );
    const after = (await docker.listContainers({ all: true, filters: label }))
      .map((c) => c.Id)
      .sort();
    expect(after).toEqual(before); // no container created twice
    const running = await docker.listContainers({ filters: label });
    expect(running.map((c) => c.Id).sort()).toEqual(before.filter((id) => id !== gone).sort());
    const described = (await ecs.send(new DescribeTasksCommand({ tasks }))).tasks!;
    const status = new Map(described.map((t) => [t.taskArn, t.lastStatus]));
    expect(status.get(tasks[0])).toBe("RUNNING");
    expect(status.get(tasks[1])).toBe("RUNNING");
    expect(status.get(tasks[2])).toBe("STOPPED");
  });
});
