import {
  CreateClusterCommand,
  DeregisterContainerInstanceCommand,
  DescribeContainerInstancesCommand,
  DescribeTasksCommand,
  DiscoverPollEndpointCommand,
  InvalidParameterException,
  ListContainerInstancesCommand,
  ListTasksCommand,
  RegisterContainerInstanceCommand,
  RegisterTaskDefinitionCommand,
  RunTaskCommand,
  StartTaskCommand,
  StopTaskCommand,
  SubmitContainerStateChangeCommand,
  SubmitTaskStateChangeCommand,
  type ECSClient,
} from "@aws-sdk/client-ecs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestSystem, type TestSystem } from "../fixtures/system.js";

/**
 * An external agent plays a node's part through the ECS agent-facing actions
 * alone, as amazon-ecs-agent would: register, take tasks, report their states.
 */
describe("an external agent through the ECS API", () => {
  let sys: TestSystem;
  let ecs: ECSClient;
  beforeAll(async () => {
    sys = await startTestSystem("e2e_extagent");
    ecs = sys.ecs();
    await ecs.send(new CreateClusterCommand({ clusterName: "edge" }));
  });
  afterAll(async () => sys?.stop());

  const resources = [
    { name: "CPU", type: "INTEGER", integerValue: 2048 },
    { name: "MEMORY", type: "INTEGER", integerValue: 3072 },
    { name: "PORTS", type: "STRINGSET", stringSetValue: ["22"] },
    { name: "PORTS_UDP", type: "STRINGSET", stringSetValue: [] },
  ];

  it("registers, runs, reports and deregisters", async () => {
    const reg = await ecs.send(
      new RegisterContainerInstanceCommand({
        cluster: "edge",
        instanceIdentityDocument: JSON.stringify({
          instanceId: "i-0123456789abcdef0",
          availabilityZone: "us-east-1c",
          instanceType: "m5.large",
        }),
        totalResources: resources,
        versionInfo: { agentVersion: "1.80.0", dockerVersion: "DockerVersion: 25.0.0" },
        attributes: [{ name: "stack", value: "blue" }],
      }),
    );
    const instanceArn = reg.containerInstance!.containerInstanceArn!;
    expect(reg.containerInstance).toMatchObject({
      ec2InstanceId: "i-0123456789abcdef0",
      status: "ACTIVE",
      agentConnected: true,
    });

    const filtered = await ecs.send(
      new ListContainerInstancesCommand({ cluster: "edge", filter: "attribute:stack == blue" }),
    );
    expect(filtered.containerInstanceArns).toEqual([instanceArn]);
    const none = await ecs.send(
      new ListContainerInstancesCommand({ cluster: "edge", filter: "attribute:stack == green" }),
    );
    expect(none.containerInstanceArns).toEqual([]);

    const poll = await ecs.send(
      new DiscoverPollEndpointCommand({ cluster: "edge", containerInstance: instanceArn }),
    );
    expect(poll.endpoint).toBe(sys.endpoint);

    await ecs.send(
      new RegisterTaskDefinitionCommand({
        family: "edge-app",
        containerDefinitions: [
          { name: "app", image: "flotilla-test/busybox:latest", memory: 1024 },
        ],
      }),
    );
    const run = await ecs.send(
      new RunTaskCommand({ cluster: "edge", taskDefinition: "edge-app", count: 3 }),
    );
    // 3072 MiB registered, 1024 each: three fit, and the instance is full.
    expect(run.tasks).toHaveLength(3);
    expect(run.failures).toEqual([]);
    const full = await ecs.send(
      new RunTaskCommand({ cluster: "edge", taskDefinition: "edge-app" }),
    );
    expect(full.tasks).toEqual([]);
    expect(full.failures?.[0]?.reason).toBe("RESOURCE:MEMORY");
    const remaining = (
      await ecs.send(
        new DescribeContainerInstancesCommand({
          cluster: "edge",
          containerInstances: [instanceArn],
        }),
      )
    ).containerInstances![0]!;
    expect(remaining.remainingResources?.find((r) => r.name === "MEMORY")?.integerValue).toBe(0);
    expect(remaining.pendingTasksCount).toBe(3);

    const [t1, t2] = run.tasks!.map((t) => t.taskArn!) as [string, string];
    await ecs.send(
      new SubmitTaskStateChangeCommand({
        cluster: "edge",
        task: t1,
        status: "RUNNING",
        containers: [
          {
            containerName: "app",
            status: "RUNNING",
            runtimeId: "docker-id-1",
            networkBindings: [
              { bindIP: "10.0.0.5", containerPort: 80, hostPort: 32000, protocol: "tcp" },
            ],
          },
        ],
      }),
    );
    const described = (await ecs.send(new DescribeTasksCommand({ cluster: "edge", tasks: [t1] })))
      .tasks![0]!;
    expect(described.lastStatus).toBe("RUNNING");
    expect(described.containers![0]).toMatchObject({
      runtimeId: "docker-id-1",
      lastStatus: "RUNNING",
    });
    expect(described.containers![0]!.networkBindings![0]!.hostPort).toBe(32000);
    // The instance's counts are its tasks', counted when read.
    const counted = (
      await ecs.send(
        new DescribeContainerInstancesCommand({
          cluster: "edge",
          containerInstances: [instanceArn],
        }),
      )
    ).containerInstances![0]!;
    expect([counted.runningTasksCount, counted.pendingTasksCount]).toEqual([1, 2]);
    const byCount = async (filter: string) =>
      (await ecs.send(new ListContainerInstancesCommand({ cluster: "edge", filter })))
        .containerInstanceArns;
    expect(await byCount("runningTasksCount == 1")).toEqual([instanceArn]);
    expect(await byCount("runningTasksCount > 1")).toEqual([]);

    await ecs.send(
      new SubmitContainerStateChangeCommand({
        cluster: "edge",
        task: t1,
        containerName: "app",
        status: "STOPPED",
        exitCode: 2,
        reason: "crashed",
      }),
    );
    await ecs.send(
      new SubmitTaskStateChangeCommand({
        cluster: "edge",
        task: t1,
        status: "STOPPED",
        reason: "Essential container in task exited",
      }),
    );
    const stopped = (await ecs.send(new DescribeTasksCommand({ cluster: "edge", tasks: [t1] })))
      .tasks![0]!;
    expect(stopped).toMatchObject({ lastStatus: "STOPPED", stopCode: "EssentialContainerExited" });
    expect(stopped.containers![0]).toMatchObject({ exitCode: 2, lastStatus: "STOPPED" });

    // Its memory is free again: StartTask on the named instance fits one more.
    const started = await ecs.send(
      new StartTaskCommand({
        cluster: "edge",
        taskDefinition: "edge-app",
        containerInstances: [instanceArn],
      }),
    );
    expect(started.tasks).toHaveLength(1);

    await ecs.send(new StopTaskCommand({ cluster: "edge", task: t2, reason: "no longer needed" }));
    const listedStopped = await ecs.send(
      new ListTasksCommand({ cluster: "edge", desiredStatus: "STOPPED" }),
    );
    expect(listedStopped.taskArns).toEqual(expect.arrayContaining([t1, t2]));

    const refused = await ecs
      .send(
        new DeregisterContainerInstanceCommand({ cluster: "edge", containerInstance: instanceArn }),
      )
      .catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(InvalidParameterException);
    const dereg = await ecs.send(
      new DeregisterContainerInstanceCommand({
        cluster: "edge",
        containerInstance: instanceArn,
        force: true,
      }),
    );
    expect(dereg.containerInstance?.status).toBe("INACTIVE");
    const after = await ecs.send(
      new DescribeTasksCommand({ cluster: "edge", tasks: run.tasks!.map((t) => t.taskArn!) }),
    );
    for (const t of after.tasks!) expect(t.desiredStatus).toBe("STOPPED");
  });
});
