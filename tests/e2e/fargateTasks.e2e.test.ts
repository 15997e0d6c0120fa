import {
  CreateClusterCommand,
  DescribeContainerInstancesCommand,
  DescribeTasksCommand,
  ListContainerInstancesCommand,
  RegisterTaskDefinitionCommand,
  RunTaskCommand,
  StopTaskCommand,
  type ECSClient,
  type Task,
} from "@aws-sdk/client-ecs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { stopService, type ServiceProcess } from "../../scripts/supervisor.js";
import { poolClusterName } from "../../shared/domain/capacityProviders/managedPools.js";
import { removeAgentContainers, startTestSystem, type TestSystem } from "../fixtures/system.js";
import { startPoolAgent } from "../fixtures/poolAgent.js";
import { waitFor as pollUntil } from "../fixtures/waitFor.js";

const CLUSTER = "fargate-demo";
const LOST_REASON =
  "Task stopped because the Fargate capacity it ran on was lost (its agent stopped responding).";

const waitFor = (check: () => Promise<boolean>, what: string, ms = 90_000) =>
  pollUntil(check, what, ms, 500);

/**
 * RunTask with launchType FARGATE through the AWS SDK, on a real system whose
 * FARGATE pool is one agent process on Docker (FLOTILLA_AGENT_POOL=FARGATE):
 * the task runs on the pool and belongs to the user's cluster, which never
 * sees the pool's instance; StopTask stops it; when the pool agent dies, its
 * tasks stop in their own cluster with TerminationNotice.
 */
describe("FARGATE tasks on the managed pool, end to end", () => {
  let sys: TestSystem;
  let ecs: ECSClient;
  let pool: ServiceProcess | undefined;
  let poolAgentId = "";

  const describeTask = async (taskArn: string): Promise<Task> =>
    (await ecs.send(new DescribeTasksCommand({ cluster: CLUSTER, tasks: [taskArn] }))).tasks![0]!;

  const runOne = async (): Promise<Task> => {
    const run = await ecs.send(
      new RunTaskCommand({
        cluster: CLUSTER,
        taskDefinition: "fg-sleep",
        launchType: "FARGATE",
        networkConfiguration: { awsvpcConfiguration: { subnets: ["subnet-1"] } },
      }),
    );
    expect(run.failures).toEqual([]);
    return run.tasks![0]!;
  };

  beforeAll(async () => {
    sys = await startTestSystem("e2e_fargate");
    ecs = sys.ecs();
    const agent = await startPoolAgent(sys, "FARGATE");
    pool = agent.process;
    poolAgentId = agent.agentId;
    await ecs.send(new CreateClusterCommand({ clusterName: CLUSTER }));
    await ecs.send(
      new RegisterTaskDefinitionCommand({
        family: "fg-sleep",
        requiresCompatibilities: ["FARGATE"],
        networkMode: "awsvpc",
        cpu: "256",
        memory: "512",
        containerDefinitions: [
          {
            name: "app",
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
    if (pool) await stopService(pool, 5_000);
    if (poolAgentId) await removeAgentContainers(poolAgentId);
    await sys?.stop();
  });

  it("runs on the pool, in the user's cluster, and StopTask stops it", async () => {
    const task = await runOne();
    expect(task.taskArn).toContain(`:task/${CLUSTER}/`);
    expect(task.launchType).toBe("FARGATE");
    expect(task.containerInstanceArn).toBeUndefined();
    expect(task.platformVersion).toBe("1.4.0");
    await waitFor(
      async () => (await describeTask(task.taskArn!)).lastStatus === "RUNNING",
      "the FARGATE task to run",
    );
    const running = await describeTask(task.taskArn!);
    expect(running.containers?.[0]?.lastStatus).toBe("RUNNING");
    expect(running.containerInstanceArn).toBeUndefined();
    // Its own address, reported as ECS reports an ENI (the pool agent's awsvpc attachment).
    const eni = running.attachments?.find((a) => a.type === "ElasticNetworkInterface");
    expect(eni?.status).toBe("ATTACHED");
    const ip = eni?.details?.find((d) => d.name === "privateIPv4Address")?.value;
    expect(ip).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
    expect(running.containers?.[0]?.networkInterfaces?.[0]?.privateIpv4Address).toBe(ip);

    // The user's cluster has no instance: the pool's agent is nobody's to list.
    const listed = await ecs.send(new ListContainerInstancesCommand({ cluster: CLUSTER }));
    expect(listed.containerInstanceArns).toEqual([]);
    await expect(
      ecs.send(
        new DescribeContainerInstancesCommand({
          cluster: poolClusterName("FARGATE"),
          containerInstances: ["x"],
        }),
      ),
    ).rejects.toMatchObject({ name: "ClusterNotFoundException" });

    await ecs.send(new StopTaskCommand({ cluster: CLUSTER, task: task.taskArn!, reason: "done" }));
    await waitFor(
      async () => (await describeTask(task.taskArn!)).lastStatus === "STOPPED",
      "the FARGATE task to stop",
    );
    expect(await describeTask(task.taskArn!)).toMatchObject({
      stopCode: "UserInitiated",
      stoppedReason: "done",
    });
  }, 120_000);

  it("refuses a FARGATE task definition whose cpu / memory pair Fargate does not offer", async () => {
    const refused = await ecs
      .send(
        new RegisterTaskDefinitionCommand({
          family: "fg-bad-size",
          requiresCompatibilities: ["FARGATE"],
          networkMode: "awsvpc",
          cpu: "256",
          memory: "4096",
          containerDefinitions: [
            { name: "app", image: "flotilla-test/busybox:latest", essential: true },
          ],
        }),
      )
      .then(
        () => undefined,
        (err: Error) => err,
      );
    expect(refused?.name).toBe("ClientException");
    expect(refused?.message).toContain(
      "No Fargate configuration exists for given values: 256 CPU, 4096 memory.",
    );
  });

  it("gives each task its own address, and its task-level memory limit kills it when exceeded", async () => {
    await ecs.send(
      new RegisterTaskDefinitionCommand({
        family: "fg-hog",
        requiresCompatibilities: ["FARGATE"],
        networkMode: "awsvpc",
        cpu: "256",
        memory: "512",
        // No container-level memory: only the task's 512 MiB bounds it.
        containerDefinitions: [
          {
            name: "hog",
            image: "flotilla-test/busybox:latest",
            essential: true,
            command: ["sh", "-c", "sleep 3; x=a; while :; do x=$x$x; done"],
          },
        ],
      }),
    );
    const other = await runOne();
    const run = await ecs.send(
      new RunTaskCommand({ cluster: CLUSTER, taskDefinition: "fg-hog", launchType: "FARGATE" }),
    );
    expect(run.failures).toEqual([]);
    const hog = run.tasks![0]!;
    const ipOf = (t: Task) =>
      t.attachments
        ?.find((a) => a.type === "ElasticNetworkInterface")
        ?.details?.find((d) => d.name === "privateIPv4Address")?.value;
    let hogIp: string | undefined;
    await waitFor(async () => {
      hogIp = ipOf(await describeTask(hog.taskArn!));
      return hogIp !== undefined;
    }, "the hog's address");
    await waitFor(
      async () => ipOf(await describeTask(other.taskArn!)) !== undefined,
      "the other task's address",
    );
    expect(ipOf(await describeTask(other.taskArn!))).not.toBe(hogIp);

    await waitFor(
      async () => (await describeTask(hog.taskArn!)).lastStatus === "STOPPED",
      "the task over its memory to be stopped",
    );
    const stopped = await describeTask(hog.taskArn!);
    expect(stopped.stopCode).toBe("EssentialContainerExited");
    expect(stopped.containers?.[0]).toMatchObject({
      exitCode: 137,
      reason: "OutOfMemoryError: Container killed due to memory usage",
    });
    await ecs.send(new StopTaskCommand({ cluster: CLUSTER, task: other.taskArn! }));
  }, 120_000);

  it("when the pool agent dies, its tasks stop in their cluster with TerminationNotice", async () => {
    const task = await runOne();
    await waitFor(
      async () => (await describeTask(task.taskArn!)).lastStatus === "RUNNING",
      "the FARGATE task to run",
    );
    // A crash: no deregistration, no reports, no heartbeats.
    pool!.child.kill("SIGKILL");
    await pool!.exited;
    await waitFor(
      async () => (await describeTask(task.taskArn!)).lastStatus === "STOPPED",
      "the lost pool agent's task to stop",
      60_000,
    );
    expect(await describeTask(task.taskArn!)).toMatchObject({
      desiredStatus: "STOPPED",
      stopCode: "TerminationNotice",
      stoppedReason: LOST_REASON,
    });
    // No pool capacity left: Fargate's capacity failure.
    const again = await ecs.send(
      new RunTaskCommand({ cluster: CLUSTER, taskDefinition: "fg-sleep", launchType: "FARGATE" }),
    );
    expect(again.tasks).toEqual([]);
    expect(again.failures).toEqual([
      {
        reason:
          "Capacity is unavailable at this time. Please try again later or in a different availability zone",
      },
    ]);
  }, 120_000);
});
