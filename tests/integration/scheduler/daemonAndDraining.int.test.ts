import {
  CreateClusterCommand,
  CreateServiceCommand,
  DescribeServicesCommand,
  ListContainerInstancesCommand,
  RegisterTaskDefinitionCommand,
  UpdateContainerInstancesStateCommand,
  type ContainerDefinition,
} from "@aws-sdk/client-ecs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { waitFor } from "../../fixtures/waitFor.js";
import { startHollowSystem, type HollowSystem } from "./hollowSystem.js";
import { maximumPercentViolations, readLog } from "./serviceInvariants.js";

const CLUSTER = "fleet";

const container = (cpu: number, memory: number): ContainerDefinition => ({
  name: "app",
  image: "flotilla-test/app:v1",
  cpu,
  memory,
  essential: true,
  command: ["httpd", "-f", "-p", "8080"],
});

/**
 * DAEMON and DRAINING through the whole system on hollow agents: a daemon task on
 * every instance (also one that joins later, none on a DRAINING one), and a REPLICA
 * service whose tasks leave a DRAINING instance only after their replacements run.
 */
describe("DAEMON services and DRAINING instances on hollow agents", () => {
  let sys: HollowSystem;

  beforeAll(async () => {
    sys = await startHollowSystem("daemon_draining", {
      schedulerEnv: { SERVICE_SWEEP_MS: "300", AGENT_HEARTBEAT_TIMEOUT_MS: "5000" },
    });
    await sys.ecs.send(new CreateClusterCommand({ clusterName: CLUSTER }));
    await sys.addFleet("fleet-1", {
      baseId: `${sys.prefix}-1`,
      count: 3,
      cpu: 1024,
      memoryMiB: 1024,
      cluster: CLUSTER,
    });
  }, 60_000);

  afterAll(async () => {
    await sys?.stop();
  });

  const instanceArns = async () =>
    (await sys.ecs.send(new ListContainerInstancesCommand({ cluster: CLUSTER })))
      .containerInstanceArns ?? [];

  /** Live tasks (not STOPPED, desired RUNNING) of a service, from the read model. */
  const liveTasks = (service: string) =>
    sys.database.db
      .selectFrom("tasks")
      .select(["task_arn", "container_instance_arn", "last_status"])
      .where("task_group", "=", `service:${service}`)
      .where("last_status", "!=", "STOPPED")
      .where("desired_status", "=", "RUNNING")
      .execute();

  const describeService = async (name: string) =>
    (await sys.ecs.send(new DescribeServicesCommand({ cluster: CLUSTER, services: [name] })))
      .services![0]!;

  const runningOnePerInstance = async (service: string, instances: readonly string[]) => {
    const tasks = await liveTasks(service);
    const hosts = tasks
      .filter((t) => t.last_status === "RUNNING")
      .map((t) => t.container_instance_arn);
    return (
      tasks.length === instances.length &&
      hosts.length === instances.length &&
      new Set(hosts).size === hosts.length &&
      instances.every((i) => hosts.includes(i))
    );
  };

  it("runs one daemon task per instance, follows a new instance, and leaves a DRAINING one", async () => {
    const ecs = sys.ecs;
    await waitFor(async () => (await instanceArns()).length === 3, "3 instances to register");
    const daemonTd = (
      await ecs.send(
        new RegisterTaskDefinitionCommand({
          family: "agentd",
          containerDefinitions: [container(64, 64)],
        }),
      )
    ).taskDefinition!.taskDefinitionArn!;
    await ecs.send(
      new CreateServiceCommand({
        cluster: CLUSTER,
        serviceName: "agentd",
        taskDefinition: daemonTd,
        schedulingStrategy: "DAEMON",
      }),
    );
    const three = await instanceArns();
    await waitFor(
      () => runningOnePerInstance("agentd", three),
      "a daemon task RUNNING on each of 3 instances",
      20_000,
      200,
    );
    expect((await describeService("agentd")).desiredCount).toBe(3);

    // A 4th instance joins: it gets a daemon task of its own.
    await sys.addFleet("fleet-2", {
      baseId: `${sys.prefix}-2`,
      count: 1,
      cpu: 1024,
      memoryMiB: 1024,
      cluster: CLUSTER,
    });
    await waitFor(async () => (await instanceArns()).length === 4, "a 4th instance to register");
    const four = await instanceArns();
    await waitFor(
      () => runningOnePerInstance("agentd", four),
      "a daemon task RUNNING on each of 4 instances",
      20_000,
      200,
    );
    await waitFor(
      async () => (await describeService("agentd")).desiredCount === 4,
      "the daemon's desiredCount to follow (4)",
      10_000,
      200,
    );

    // A REPLICA service, 100/200: its tasks on a DRAINING instance are replaced first.
    const webTd = (
      await ecs.send(
        new RegisterTaskDefinitionCommand({
          family: "web",
          containerDefinitions: [container(128, 128)],
        }),
      )
    ).taskDefinition!.taskDefinitionArn!;
    await ecs.send(
      new CreateServiceCommand({
        cluster: CLUSTER,
        serviceName: "web",
        taskDefinition: webTd,
        desiredCount: 6,
        deploymentConfiguration: { minimumHealthyPercent: 100, maximumPercent: 200 },
      }),
    );
    await waitFor(
      async () => {
        const s = await describeService("web");
        return s.runningCount === 6 && s.deployments?.[0]?.rolloutState === "COMPLETED";
      },
      "web to run 6 tasks",
      20_000,
      200,
    );
    const before = await liveTasks("web");
    const perHost = new Map<string, number>();
    for (const t of before) {
      perHost.set(t.container_instance_arn, (perHost.get(t.container_instance_arn) ?? 0) + 1);
    }
    const [target, onTarget] = [...perHost].sort((a, b) => b[1] - a[1])[0]!;
    expect(onTarget).toBeGreaterThan(0);
    const drainedWeb = new Set(
      before.filter((t) => t.container_instance_arn === target).map((t) => t.task_arn),
    );
    const daemonOnTarget = (await liveTasks("agentd")).find(
      (t) => t.container_instance_arn === target,
    )!.task_arn;

    const { position: drainedAt } = await sys.database.db
      .selectFrom("events")
      .select((e) => e.fn.max("position").as("position"))
      .executeTakeFirstOrThrow();
    await ecs.send(
      new UpdateContainerInstancesStateCommand({
        cluster: CLUSTER,
        containerInstances: [target],
        status: "DRAINING",
      }),
    );

    const others = four.filter((i) => i !== target);
    await waitFor(
      () => runningOnePerInstance("agentd", others),
      "the daemon to leave the DRAINING instance",
      20_000,
      200,
    );
    await waitFor(
      async () => (await describeService("agentd")).desiredCount === 3,
      "the daemon's desiredCount to follow (3)",
      10_000,
      200,
    );
    await waitFor(
      async () => {
        const live = await liveTasks("web");
        return (
          live.length === 6 &&
          live.every((t) => t.container_instance_arn !== target && t.last_status === "RUNNING")
        );
      },
      "web's tasks to move off the DRAINING instance",
      20_000,
      200,
    );

    // The daemon task on the DRAINING instance was stopped by the service scheduler.
    const daemonStop = await sys.database.db
      .selectFrom("tasks")
      .select(["last_status", "stop_code"])
      .where("task_arn", "=", daemonOnTarget)
      .executeTakeFirstOrThrow();
    expect(daemonStop).toEqual({ last_status: "STOPPED", stop_code: "ServiceSchedulerInitiated" });

    // Order: the i-th draining task was asked to stop only after the i-th replacement ran.
    const log = (await readLog(sys.database.db)).filter((e) => e.position > Number(drainedAt));
    const webStream = `service:${CLUSTER}/web`;
    const replacements = new Set(
      log
        .filter((e) => e.stream_id === webStream && e.type === "ServiceTasksStarted")
        .flatMap((e) => e.data.taskArns as string[]),
    );
    expect(replacements.size).toBe(drainedWeb.size);
    const drainStops = log.filter(
      (e) => e.stream_id === webStream && e.type === "ServiceTasksStopped",
    );
    expect(drainStops.map((e) => e.data.reason)).toEqual(drainStops.map(() => "draining"));
    expect(new Set(drainStops.flatMap((e) => e.data.taskArns as string[]))).toEqual(drainedWeb);
    const runningAt = log
      .filter(
        (e) =>
          e.type === "TaskStateChanged" &&
          e.data.lastStatus === "RUNNING" &&
          replacements.has(e.data.taskArn as string),
      )
      .map((e) => e.position);
    const stopAt = log
      .filter((e) => e.type === "TaskStopRequested" && drainedWeb.has(e.data.taskArn as string))
      .map((e) => e.position);
    expect(stopAt).toHaveLength(drainedWeb.size);
    stopAt.forEach((stop, i) => expect(runningAt[i]).toBeLessThan(stop));

    // Within the deployment limits all along: never more than 12 web tasks live.
    const { violations } = await maximumPercentViolations(sys.database.db);
    expect(violations).toEqual([]);
  }, 90_000);
});
