import {
  CreateServiceCommand,
  DescribeServicesCommand,
  DescribeTasksCommand,
  ListContainerInstancesCommand,
  ListTasksCommand,
  RegisterTaskDefinitionCommand,
  UpdateServiceCommand,
  waitUntilServicesStable,
  type ContainerDefinition,
  type ECSClient,
  type Service,
  type Task,
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
import { waitFor as pollUntil } from "../fixtures/waitFor.js";

const IMAGE = "flotilla-test/busybox:latest";
const GRACE_MS = 5_000;
const CLUSTER = "default";

/** Polls every half second: each check is a few API calls. */
const waitFor = (check: () => Promise<boolean>, what: string, ms = 60_000) =>
  pollUntil(check, what, ms, 500);

/** A busybox httpd answering `version` on port 8080, with a container health check. */
const httpd = (version: string, command?: string[]): ContainerDefinition => ({
  name: "web",
  image: IMAGE,
  cpu: 64,
  memory: 64,
  essential: true,
  portMappings: [{ containerPort: 8080, hostPort: 0, protocol: "tcp" }],
  command: command ?? [
    "sh",
    "-c",
    `mkdir -p /www && echo ${version} > /www/index.html && exec httpd -f -p 8080 -h /www`,
  ],
  healthCheck: {
    command: ["CMD-SHELL", "wget -q -O /dev/null http://127.0.0.1:8080/ || exit 1"],
    interval: 5,
    timeout: 2,
    retries: 2,
    startPeriod: 0,
  },
});

/**
 * The service scheduler on real Docker, two agents in two zones, through the
 * AWS SDK: spread, a rolling update that never drops below the healthy floor,
 * the circuit breaker with rollback, the throttle of a crash-looping service,
 * and node loss with fencing when the agent comes back.
 */
describe("services on real Docker with two agents in two zones", () => {
  let sys: TestSystem;
  let ecs: ECSClient;
  let agentB: ServiceProcess | undefined;
  const docker = new Docker();
  const agentIdB = () => `${sys.agentId}-b`;
  const definitions: Record<string, string> = {};

  const startAgentB = async () => {
    const base = sys.system.processes.agent!;
    const port = await findFreePort();
    const proc = startService(
      {
        name: "agent-b",
        entry: "services/agent/main.ts",
        env: {
          ...base.env,
          HEALTH_PORT: String(port),
          FLOTILLA_AGENT_ID: agentIdB(),
          FLOTILLA_AVAILABILITY_ZONE: "us-east-1b",
        },
        healthUrl: `http://127.0.0.1:${port}`,
      },
      {},
    );
    await waitUntilReady(proc, 60_000);
    return proc;
  };

  beforeAll(async () => {
    const resources = {
      FLOTILLA_AGENT_CPU: "1024",
      FLOTILLA_AGENT_MEMORY_MIB: "1024",
      FLOTILLA_AGENT_RESERVED_MEMORY_MIB: "0",
    };
    sys = await startTestSystem("e2e_services", {
      serviceEnv: {
        agent: { FLOTILLA_AVAILABILITY_ZONE: "us-east-1a", ...resources },
        scheduler: {
          AGENT_HEARTBEAT_TIMEOUT_MS: String(GRACE_MS),
          SERVICE_SWEEP_MS: "1000",
          SERVICE_THROTTLE_BASE_SECONDS: "2",
        },
      },
    });
    ecs = sys.ecs();
    agentB = await startAgentB();
    await waitFor(
      async () =>
        ((await ecs.send(new ListContainerInstancesCommand({}))).containerInstanceArns ?? [])
          .length === 2,
      "both agents to register",
    );
    for (const [name, def] of [
      ["v1", httpd("v1")],
      ["v2", httpd("v2")],
      ["v3", httpd("v3", ["sh", "-c", "exit 1"])],
    ] as const) {
      const out = await ecs.send(
        new RegisterTaskDefinitionCommand({ family: "web", containerDefinitions: [def] }),
      );
      definitions[name] = out.taskDefinition!.taskDefinitionArn!;
    }
  }, 120_000);

  afterAll(async () => {
    if (agentB) await stopService(agentB, 5_000);
    await sys?.stop();
    if (sys) await removeAgentContainers(agentIdB());
  });

  const describeService = async (name: string): Promise<Service> =>
    (await ecs.send(new DescribeServicesCommand({ cluster: CLUSTER, services: [name] })))
      .services![0]!;

  const serviceTasks = async (name: string, desiredStatus: "RUNNING" | "STOPPED" = "RUNNING") => {
    const arns =
      (await ecs.send(new ListTasksCommand({ serviceName: name, desiredStatus }))).taskArns ?? [];
    if (arns.length === 0) return [] as Task[];
    return (await ecs.send(new DescribeTasksCommand({ tasks: arns }))).tasks ?? [];
  };

  const stable = (name: string, maxWaitTime = 120) =>
    waitUntilServicesStable(
      { client: ecs, maxWaitTime, minDelay: 1, maxDelay: 2 },
      { cluster: CLUSTER, services: [name] },
    );

  const healthyCount = (tasks: readonly Task[]) =>
    tasks.filter(
      (t) =>
        t.desiredStatus === "RUNNING" && t.lastStatus === "RUNNING" && t.healthStatus === "HEALTHY",
    ).length;

  const zoneCounts = (tasks: readonly Task[]) => {
    const counts: Record<string, number> = {};
    for (const t of tasks)
      counts[t.availabilityZone ?? "?"] = (counts[t.availabilityZone ?? "?"] ?? 0) + 1;
    return counts;
  };

  it("a 4-task httpd service spreads 2 + 2 over the zones and reaches a steady state", async () => {
    const created = await ecs.send(
      new CreateServiceCommand({
        cluster: CLUSTER,
        serviceName: "web",
        taskDefinition: definitions.v1,
        desiredCount: 4,
        deploymentConfiguration: {
          minimumHealthyPercent: 100,
          maximumPercent: 200,
          deploymentCircuitBreaker: { enable: true, rollback: true },
        },
        healthCheckGracePeriodSeconds: 10,
      }),
    );
    expect(created.service?.status).toBe("ACTIVE");
    expect(created.service?.deployments).toHaveLength(1);
    await stable("web");
    const tasks = await serviceTasks("web");
    expect(tasks).toHaveLength(4);
    expect(zoneCounts(tasks)).toEqual({ "us-east-1a": 2, "us-east-1b": 2 });
    expect(healthyCount(tasks)).toBe(4);
    const service = await describeService("web");
    expect(service.runningCount).toBe(4);
    expect(service.deployments![0]!.rolloutState).toBe("COMPLETED");
    expect(service.events!.map((e) => e.message)).toContain(
      "(service web) has reached a steady state.",
    );
    // The containers answer on their published host ports.
    const binding = tasks[0]!.containers![0]!.networkBindings![0]!;
    const body = await (await fetch(`http://127.0.0.1:${binding.hostPort}/`)).text();
    expect(body.trim()).toBe("v1");
  }, 180_000);

  it("a rolling update v1 → v2 at 100/200 never drops below 4 healthy tasks and completes", async () => {
    await ecs.send(
      new UpdateServiceCommand({
        cluster: CLUSTER,
        service: "web",
        taskDefinition: definitions.v2,
      }),
    );
    const samples: number[] = [];
    let done = false;
    const sampler = (async () => {
      while (!done) {
        samples.push(healthyCount(await serviceTasks("web")));
        await new Promise((r) => setTimeout(r, 300));
      }
    })();
    try {
      await waitFor(
        async () => (await describeService("web")).deployments?.length === 2,
        "the v2 deployment to start",
      );
      await stable("web");
    } finally {
      done = true;
      await sampler;
    }
    expect(samples.length).toBeGreaterThan(5);
    expect(Math.min(...samples)).toBeGreaterThanOrEqual(4);
    const service = await describeService("web");
    expect(service.deployments).toHaveLength(1);
    expect(service.deployments![0]!.taskDefinition).toBe(definitions.v2);
    expect(service.deployments![0]!.rolloutState).toBe("COMPLETED");
    const tasks = await serviceTasks("web");
    expect(tasks.map((t) => t.taskDefinitionArn)).toEqual(Array(4).fill(definitions.v2));
    expect(zoneCounts(tasks)).toEqual({ "us-east-1a": 2, "us-east-1b": 2 });
    const binding = tasks[0]!.containers![0]!.networkBindings![0]!;
    expect((await (await fetch(`http://127.0.0.1:${binding.hostPort}/`)).text()).trim()).toBe("v2");
  }, 240_000);

  it("a v3 whose container exits at once trips the circuit breaker and rolls back to v2", async () => {
    await ecs.send(
      new UpdateServiceCommand({
        cluster: CLUSTER,
        service: "web",
        taskDefinition: definitions.v3,
      }),
    );
    await waitFor(
      async () =>
        (await describeService("web")).events?.some((e) =>
          e.message?.includes("deployment failed: tasks failed to start."),
        ) ?? false,
      "the circuit breaker to trip",
      120_000,
    );
    await stable("web");
    const service = await describeService("web");
    expect(service.deployments).toHaveLength(1);
    expect(service.deployments![0]!.taskDefinition).toBe(definitions.v2);
    expect(service.taskDefinition).toBe(definitions.v2);
    expect(service.events!.some((e) => e.message?.includes("rolling back to deployment"))).toBe(
      true,
    );
    const tasks = await serviceTasks("web");
    expect(healthyCount(tasks)).toBe(4);
    expect(tasks.every((t) => t.taskDefinitionArn === definitions.v2)).toBe(true);
  }, 240_000);

  it("a crash-looping standalone service is throttled and says so", async () => {
    const family = await ecs.send(
      new RegisterTaskDefinitionCommand({
        family: "crashloop",
        containerDefinitions: [
          {
            name: "app",
            image: IMAGE,
            cpu: 16,
            memory: 16,
            essential: true,
            command: ["/no/such/program"],
          },
        ],
      }),
    );
    await ecs.send(
      new CreateServiceCommand({
        cluster: CLUSTER,
        serviceName: "crashloop",
        taskDefinition: family.taskDefinition!.taskDefinitionArn!,
        desiredCount: 1,
      }),
    );
    await waitFor(
      async () =>
        (await describeService("crashloop")).events?.some(
          (e) =>
            e.message === "(service crashloop) is unable to consistently start tasks successfully.",
        ) ?? false,
      "the throttle message",
      120_000,
    );
    const stopped = await serviceTasks("crashloop", "STOPPED");
    expect(stopped.length).toBeGreaterThanOrEqual(3);
    expect(stopped.every((t) => t.startedAt === undefined)).toBe(true);
    await ecs.send(
      new UpdateServiceCommand({ cluster: CLUSTER, service: "crashloop", desiredCount: 0 }),
    );
  }, 180_000);

  it("a service that fits nowhere names the closest instance and what it lacks", async () => {
    const family = await ecs.send(
      new RegisterTaskDefinitionCommand({
        family: "toobig",
        containerDefinitions: [
          {
            name: "app",
            image: IMAGE,
            cpu: 16,
            memory: 4096,
            essential: true,
            command: ["sleep", "60"],
          },
        ],
      }),
    );
    await ecs.send(
      new CreateServiceCommand({
        cluster: CLUSTER,
        serviceName: "toobig",
        taskDefinition: family.taskDefinition!.taskDefinitionArn!,
        desiredCount: 1,
      }),
    );
    const wording =
      /^\(service toobig\) was unable to place a task because no container instance met all of its requirements\. The closest matching \(container-instance [0-9a-f]+\) has insufficient memory available\./;
    await waitFor(
      async () =>
        (await describeService("toobig")).events?.some((e) => wording.test(e.message ?? "")) ??
        false,
      "the placement failure event",
    );
    expect(await serviceTasks("toobig")).toEqual([]);
    await ecs.send(
      new UpdateServiceCommand({ cluster: CLUSTER, service: "toobig", desiredCount: 0 }),
    );
  }, 60_000);

  it("kill -9 of one agent: its tasks are replaced on the other within grace, and none survives its return", async () => {
    const before = await serviceTasks("web");
    const onB = before.filter((t) => t.availabilityZone === "us-east-1b");
    expect(onB).toHaveLength(2);
    process.kill(agentB!.pid!, "SIGKILL");
    await agentB!.exited;
    const killedAt = Date.now();
    const replacementsOnA = async () =>
      (await serviceTasks("web")).filter(
        (t) => t.availabilityZone === "us-east-1a" && t.lastStatus === "RUNNING",
      ).length;
    await waitFor(async () => (await replacementsOnA()) === 4, "four RUNNING tasks on agent a");
    const runningAfterMs = Date.now() - killedAt;
    // The bound: replaced within the grace plus a few seconds (generous for CI).
    expect(runningAfterMs).toBeLessThan(GRACE_MS + 15_000);
    await waitFor(
      async () => {
        const tasks = await serviceTasks("web");
        return (
          tasks.filter((t) => t.availabilityZone === "us-east-1a" && healthyCount([t]) === 1)
            .length === 4
        );
      },
      "four healthy tasks on the surviving agent",
      GRACE_MS + 60_000,
    );
    const replacedAfterMs = Date.now() - killedAt;
    console.log(
      `node loss (grace ${GRACE_MS} ms): 4 tasks RUNNING on the surviving agent ` +
        `${runningAfterMs} ms and HEALTHY ${replacedAfterMs} ms after kill -9`,
    );
    // The lost tasks are fenced: desired STOPPED while their containers still run.
    const fenced = (await ecs.send(new DescribeTasksCommand({ tasks: onB.map((t) => t.taskArn!) })))
      .tasks!;
    expect(fenced.every((t) => t.desiredStatus === "STOPPED")).toBe(true);
    const label = { label: [`com.flotilla.agent-id=${agentIdB()}`] };
    expect((await docker.listContainers({ filters: label })).length).toBeGreaterThan(0);

    agentB = await startAgentB();
    await waitFor(
      async () => (await docker.listContainers({ filters: label })).length === 0,
      "the returning agent to stop the replaced tasks",
      60_000,
    );
    await stable("web");
    const after = await serviceTasks("web");
    expect(after).toHaveLength(4);
    const service = await describeService("web");
    expect(service.runningCount).toBe(4);
    // The containers are gone; the returning agent's STOPPED reports follow them (its report
    // queue retries until the scheduler acknowledges), so wait for them rather than race them.
    await waitFor(
      async () =>
        (
          await ecs.send(new DescribeTasksCommand({ tasks: onB.map((t) => t.taskArn!) }))
        ).tasks!.every((t) => t.lastStatus === "STOPPED"),
      "the replaced tasks to be reported STOPPED",
      30_000,
    );
  }, 240_000);
});
