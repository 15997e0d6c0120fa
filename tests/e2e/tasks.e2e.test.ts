import {
  DescribeContainerInstancesCommand,
  DescribeTasksCommand,
  ListContainerInstancesCommand,
  ListTasksCommand,
  RegisterTaskDefinitionCommand,
  RunTaskCommand,
  StopTaskCommand,
  waitUntilTasksRunning,
  waitUntilTasksStopped,
  type ContainerDefinition,
  type ECSClient,
  type Task,
} from "@aws-sdk/client-ecs";
import { connect } from "@nats-io/transport-node";
import Docker from "dockerode";
import { StatsReport } from "../../shared/agent/protocol.js";
import { agentSubject } from "../../shared/bus/index.js";
import { natsUrl } from "../fixtures/nats.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestSystem, type TestSystem } from "../fixtures/system.js";

const IMAGE = "flotilla-test/busybox:latest";
const sh = (script: string) => ({ command: ["sh", "-c", script] });

/** Standalone tasks on real Docker containers, driven through @aws-sdk/client-ecs. */
describe("tasks on real Docker through the ECS API", () => {
  let sys: TestSystem;
  let ecs: ECSClient;
  const docker = new Docker();

  beforeAll(async () => {
    sys = await startTestSystem("e2e_tasks");
    ecs = sys.ecs();
    // The agent joins `default` on its own.
    const deadline = Date.now() + 30_000;
    for (;;) {
      const list = await ecs.send(new ListContainerInstancesCommand({}));
      if (list.containerInstanceArns?.length) break;
      if (Date.now() > deadline) throw new Error("the agent did not register");
      await new Promise((r) => setTimeout(r, 200));
    }
  });
  afterAll(async () => sys?.stop());

  const register = async (family: string, containers: ContainerDefinition[]) =>
    (
      await ecs.send(
        new RegisterTaskDefinitionCommand({ family, containerDefinitions: containers }),
      )
    ).taskDefinition!.taskDefinitionArn!;

  const runOne = async (taskDefinition: string): Promise<string> => {
    const run = await ecs.send(new RunTaskCommand({ taskDefinition, startedBy: "e2e" }));
    expect(run.failures).toEqual([]);
    return run.tasks![0]!.taskArn!;
  };

  const describeTask = async (taskArn: string): Promise<Task> =>
    (await ecs.send(new DescribeTasksCommand({ tasks: [taskArn] }))).tasks![0]!;

  const running = (taskArn: string) =>
    waitUntilTasksRunning(
      { client: ecs, maxWaitTime: 60, minDelay: 1, maxDelay: 1 },
      { tasks: [taskArn] },
    );
  const stopped = (taskArn: string) =>
    waitUntilTasksStopped(
      { client: ecs, maxWaitTime: 90, minDelay: 1, maxDelay: 1 },
      { tasks: [taskArn] },
    );

  it("registers the host as a container instance with its resources and attributes", async () => {
    const [arn] = (await ecs.send(new ListContainerInstancesCommand({}))).containerInstanceArns!;
    const { containerInstances } = await ecs.send(
      new DescribeContainerInstancesCommand({ containerInstances: [arn!] }),
    );
    const ci = containerInstances![0]!;
    expect(ci.status).toBe("ACTIVE");
    expect(ci.agentConnected).toBe(true);
    expect(ci.ec2InstanceId).toBe(sys.agentId);
    const cpu = ci.registeredResources?.find((r) => r.name === "CPU")?.integerValue;
    const info = (await docker.info()) as { NCPU: number };
    expect(cpu).toBe(1024 * info.NCPU);
    const attrs = new Map(ci.attributes?.map((a) => [a.name, a.value]));
    expect(attrs.get("ecs.availability-zone")).toBe("us-east-1a");
    expect(attrs.get("ecs.os-type")).toBe("linux");
    expect(attrs.has("ecs.cpu-architecture")).toBe(true);
  });

  it("runs busybox httpd on a dynamic host port and stops it with the caller's reason", async () => {
    const td = await register("web", [
      {
        name: "web",
        image: IMAGE,
        memory: 32,
        command: ["httpd", "-f", "-p", "8080", "-h", "/www"],
        portMappings: [{ containerPort: 8080, hostPort: 0 }],
      },
    ]);
    const taskArn = await runOne(td);
    await running(taskArn);
    const task = await describeTask(taskArn);
    expect(task.lastStatus).toBe("RUNNING");
    expect(task.connectivity).toBe("CONNECTED");
    const binding = task.containers![0]!.networkBindings![0]!;
    expect(binding).toMatchObject({ bindIP: "127.0.0.1", containerPort: 8080, protocol: "tcp" });
    expect(binding.hostPort).toBeGreaterThan(0);
    const res = await fetch(`http://127.0.0.1:${binding.hostPort}/`);
    expect((await res.text()).trim()).toBe("ok");
    const listed = await ecs.send(new ListTasksCommand({ startedBy: "e2e" }));
    expect(listed.taskArns).toContain(taskArn);

    // The agent streams the container's usage against its reservation over NATS.
    const nc = await connect({ servers: natsUrl() });
    try {
      const sub = nc.subscribe(agentSubject(sys.prefix, sys.agentId, "stats"), { max: 20 });
      let usage: StatsReport["tasks"][number]["containers"][number] | undefined;
      const deadline = setTimeout(() => sub.unsubscribe(), 15_000);
      for await (const msg of sub) {
        const report = StatsReport.parse(msg.json());
        usage = report.tasks.find((t) => t.taskArn === taskArn)?.containers[0];
        if (usage) break;
      }
      clearTimeout(deadline);
      expect(usage?.memoryMiBUsed).toBeGreaterThan(0);
      expect(usage?.memoryMiBReserved).toBe(32);
    } finally {
      await nc.close();
    }

    await ecs.send(new StopTaskCommand({ task: taskArn, reason: "e2e is done" }));
    await stopped(taskArn);
    const after = await describeTask(taskArn);
    expect(after).toMatchObject({
      lastStatus: "STOPPED",
      desiredStatus: "STOPPED",
      stopCode: "UserInitiated",
      stoppedReason: "e2e is done",
    });
    // busybox httpd as PID 1 ignores SIGTERM: it is killed after the stop timeout.
    expect([137, 143]).toContain(after.containers![0]!.exitCode);
    expect(after.stoppedAt).toBeInstanceOf(Date);
  });

  it("stops the task when an essential container exits, not when a non-essential one does", async () => {
    const td = await register("essential", [
      { name: "main", image: IMAGE, memory: 16, essential: true, ...sh("sleep 3; exit 3") },
      { name: "helper", image: IMAGE, memory: 16, essential: false, ...sh("exit 0") },
      {
        name: "idle",
        image: IMAGE,
        memory: 16,
        essential: false,
        ...sh("trap 'exit 0' TERM; while true; do sleep 1; done"),
      },
    ]);
    const taskArn = await runOne(td);
    await running(taskArn);
    await new Promise((r) => setTimeout(r, 1500));
    // The non-essential helper has exited; the task still runs.
    const mid = await describeTask(taskArn);
    expect(mid.lastStatus).toBe("RUNNING");
    expect(mid.containers!.find((c) => c.name === "helper")).toMatchObject({
      lastStatus: "STOPPED",
      exitCode: 0,
    });
    await stopped(taskArn);
    const after = await describeTask(taskArn);
    expect(after.stopCode).toBe("EssentialContainerExited");
    expect(after.stoppedReason).toBe("Essential container in task exited");
    expect(after.containers!.find((c) => c.name === "main")?.exitCode).toBe(3);
    expect(after.containers!.find((c) => c.name === "idle")?.lastStatus).toBe("STOPPED");
  });

  it("starts containers in dependsOn order and stops them in reverse", async () => {
    const td = await register("ordered", [
      {
        name: "db",
        image: IMAGE,
        memory: 16,
        ...sh("trap 'exit 0' TERM; while true; do sleep 1; done"),
      },
      {
        name: "app",
        image: IMAGE,
        memory: 16,
        dependsOn: [{ containerName: "db", condition: "START" }],
        ...sh("trap 'exit 0' TERM; while true; do sleep 1; done"),
      },
    ]);
    const taskArn = await runOne(td);
    await running(taskArn);
    await ecs.send(new StopTaskCommand({ task: taskArn }));
    await stopped(taskArn);
    const task = await describeTask(taskArn);
    const inspect = async (name: string) => {
      const id = task.containers!.find((c) => c.name === name)!.runtimeId!;
      return (await docker.getContainer(id).inspect()).State;
    };
    const db = await inspect("db");
    const app = await inspect("app");
    expect(Date.parse(app.StartedAt)).toBeGreaterThanOrEqual(Date.parse(db.StartedAt));
    expect(Date.parse(app.FinishedAt)).toBeLessThanOrEqual(Date.parse(db.FinishedAt));
  });

  it("reports a container killed for memory", async () => {
    const td = await register("hog", [
      {
        name: "hog",
        image: IMAGE,
        memory: 16,
        ...sh("sleep 1; exec dd if=/dev/zero of=/dev/null bs=64M count=1"),
      },
    ]);
    const taskArn = await runOne(td);
    await stopped(taskArn);
    const task = await describeTask(taskArn);
    expect(task.containers![0]).toMatchObject({
      exitCode: 137,
      reason: "OutOfMemoryError: Container killed due to memory usage",
    });
    expect(task.stopCode).toBe("EssentialContainerExited");
  });

  it("fails a task whose image is missing with CannotPullContainerError", async () => {
    const td = await register("ghost", [
      { name: "ghost", image: "flotilla-test/does-not-exist:1", memory: 16 },
    ]);
    const taskArn = await runOne(td);
    await stopped(taskArn);
    const task = await describeTask(taskArn);
    expect(task.stopCode).toBe("TaskFailedToStart");
    expect(task.containers![0]!.reason).toMatch(/^CannotPullContainerError/);
  });

  // ECS restarts only a container that ran at least restartAttemptPeriod (minimum 60 s);
  // one that exits sooner counts as a normal exit. So this test takes a minute.
  it("restarts a container with a restart policy in place", { timeout: 150_000 }, async () => {
    const td = await register("restarts", [
      {
        name: "flaky",
        image: IMAGE,
        memory: 16,
        restartPolicy: { enabled: true, restartAttemptPeriod: 60 },
        ...sh("sleep 61; exit 1"),
      },
    ]);
    const taskArn = await runOne(td);
    await running(taskArn);
    const first = (await describeTask(taskArn)).containers![0]!.runtimeId!;
    const startedAt = async () =>
      Date.parse((await docker.getContainer(first).inspect()).State.StartedAt);
    const initial = await startedAt();
    const deadline = Date.now() + 90_000;
    while ((await startedAt()) === initial) {
      if (Date.now() > deadline) throw new Error("the container was not restarted");
      await new Promise((r) => setTimeout(r, 250));
    }
    const task = await describeTask(taskArn);
    expect(task.lastStatus).toBe("RUNNING");
    expect(task.containers![0]!.runtimeId).toBe(first); // in place: the same container
    await ecs.send(new StopTaskCommand({ task: taskArn }));
    await stopped(taskArn);
  });
});
