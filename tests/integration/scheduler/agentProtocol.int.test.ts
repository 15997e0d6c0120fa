import type { NatsConnection } from "@nats-io/nats-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  Manifest,
  RegisterReply,
  type RegisterRequest,
  type TaskStateReportMessage,
} from "../../../shared/agent/protocol.js";
import { findClusters } from "../../../services/api/ecs/read/clusterQueries.js";
import { agentSubject } from "../../../shared/bus/index.js";
import {
  CreateCluster,
  DeregisterContainerInstance,
  RegisterTaskDefinition,
  RunTask,
  StopTask,
} from "../../../shared/commands/scheduler/index.js";
import {
  startInProcessScheduler,
  type InProcessScheduler,
} from "../../fixtures/inProcessScheduler.js";
import { waitFor } from "../../fixtures/waitFor.js";

const meta = { actor: "test", correlationId: "c" };

/** A stand-in agent speaking the agent protocol over NATS, as services/agent does. */
const fakeAgent = (nc: NatsConnection, prefix: string, agentId: string) => {
  const request = async (kind: string, body: unknown): Promise<unknown> => {
    const msg = await nc.request(agentSubject(prefix, agentId, kind), JSON.stringify(body), {
      timeout: 5000,
    });
    const reply = msg.json<{ ok: boolean; result?: unknown; error?: { type: string } }>();
    if (!reply.ok) throw new Error(reply.error?.type ?? "error");
    return reply.result;
  };
  const notifications: string[] = [];
  nc.subscribe(agentSubject(prefix, agentId, "notify"), {
    callback: (_e, m) => {
      notifications.push(m.json<{ reason: string }>().reason);
    },
  });
  return {
    notifications,
    register: async (body: Omit<RegisterRequest, "agentId">) =>
      RegisterReply.parse(await request("register", { agentId, ...body })),
    manifest: async (containerInstanceArn: string) =>
      Manifest.parse(await request("manifest", { containerInstanceArn })),
    report: (report: TaskStateReportMessage) => request("state", report),
    heartbeat: (containerInstanceArn: string) =>
      nc.publish(
        agentSubject(prefix, agentId, "heartbeat"),
        JSON.stringify({ agentId, containerInstanceArn, at: Date.now() / 1000 }),
      ),
  };
};

describe("the scheduler's agent protocol over NATS", () => {
  let sched: InProcessScheduler;

  beforeAll(async () => {
    sched = await startInProcessScheduler("agentproto", { heartbeatTimeoutMs: 600 });
  });
  afterAll(async () => {
    await sched?.stop();
  });

  const resources = (cpu: number, memory: number) => [
    { name: "CPU", type: "INTEGER" as const, integerValue: cpu },
    { name: "MEMORY", type: "INTEGER" as const, integerValue: memory },
    { name: "PORTS", type: "STRINGSET" as const, stringSetValue: ["22", "2375"] },
    { name: "PORTS_UDP", type: "STRINGSET" as const, stringSetValue: [] },
  ];

  it("registers into `default` (creating it), serves manifests, records reports, releases on STOPPED", async () => {
    const agent = fakeAgent(sched.nc, sched.prefix, "i-0000000000000001");
    const reg = await agent.register({
      availabilityZone: "us-east-1a",
      instanceType: "flotilla.local",
      totalResources: resources(2048, 1024),
      attributes: [{ name: "ecs.os-type", value: "linux" }],
      versionInfo: { agentVersion: "0.1.0", dockerVersion: "28.2.2" },
    });
    expect(reg.clusterName).toBe("default");
    expect(reg.containerInstanceArn).toMatch(
      /^arn:aws:ecs:us-east-1:000000000000:container-instance\/default\/[0-9a-f]{32}$/,
    );
    // Registering again (an agent restart) lands on the same instance.
    const again = await agent.register({
      totalResources: resources(2048, 1024),
      attributes: [],
      versionInfo: {},
      availabilityZone: "us-east-1a",
    });
    expect(again.containerInstanceArn).toBe(reg.containerInstanceArn);
    agent.heartbeat(reg.containerInstanceArn);

    await sched.commands.send(
      RegisterTaskDefinition,
      {
        family: "web",
        containerDefinitions: [
          {
            name: "app",
            image: "flotilla-test/busybox:latest",
            memory: 300,
            portMappings: [{ containerPort: 8080, hostPort: 8080 }],
          },
        ],
      },
      meta,
    );
    const run = await sched.commands.send(RunTask, { taskDefinition: "web", count: 1 }, meta);
    expect(run.failures).toEqual([]);
    const [taskArn] = run.taskArns as [string];
    await waitFor(() => agent.notifications.includes("task created"), "the create notification");

    const m1 = await agent.manifest(reg.containerInstanceArn);
    expect(m1.active).toBe(true);
    expect(m1.tasks.map((t) => [t.taskArn, t.desiredStatus])).toEqual([[taskArn, "RUNNING"]]);
    expect(m1.tasks[0]!.taskDefinition.family).toBe("web");

    // The static host port 8080 is now taken on this instance: a second task cannot fit.
    const second = await sched.commands.send(RunTask, { taskDefinition: "web", count: 1 }, meta);
    expect(second.taskArns).toEqual([]);
    expect(second.failures[0]?.reason).toBe("RESOURCE:PORTS");

    await agent.report({
      taskArn,
      lastStatus: "RUNNING",
      containers: [
        {
          name: "app",
          lastStatus: "RUNNING",
          runtimeId: "abc",
          networkBindings: [
            { bindIP: "127.0.0.1", containerPort: 8080, hostPort: 8080, protocol: "tcp" },
          ],
        },
      ],
      startedAt: Date.now() / 1000,
      at: Date.now() / 1000,
    });
    const row = await sched.tdb.db
      .selectFrom("tasks")
      .selectAll()
      .where("task_arn", "=", taskArn)
      .executeTakeFirstOrThrow();
    expect(row.last_status).toBe("RUNNING");
    // DescribeClusters' counts, summed from the instances at read time.
    const [cluster] = await findClusters(sched.tdb.db, ["default"]);
    expect(cluster?.running_tasks_count).toBe(1);
    expect(cluster?.registered_container_instances_count).toBe(1);

    await sched.commands.send(StopTask, { task: taskArn, reason: "done here" }, meta);
    await waitFor(
      () => agent.notifications.includes("task stop requested"),
      "the stop notification",
    );
    const m2 = await agent.manifest(reg.containerInstanceArn);
    expect(m2.tasks[0]).toMatchObject({
      desiredStatus: "STOPPED",
      stopCode: "UserInitiated",
      stoppedReason: "done here",
    });

    await agent.report({
      taskArn,
      lastStatus: "STOPPED",
      containers: [{ name: "app", lastStatus: "STOPPED", exitCode: 143 }],
      stoppedAt: Date.now() / 1000,
      at: Date.now() / 1000,
    });
    expect((await agent.manifest(reg.containerInstanceArn)).tasks).toEqual([]);
    expect(await sched.tdb.db.selectFrom("task_reservations").selectAll().execute()).toEqual([]);
    // The port is free again.
    const third = await sched.commands.send(RunTask, { taskDefinition: "web" }, meta);
    expect(third.taskArns).toHaveLength(1);

    // Deregistered (with its task): the manifest tells the agent it is no longer registered.
    await sched.commands.send(
      DeregisterContainerInstance,
      { containerInstance: reg.containerInstanceArn, force: true },
      meta,
    );
    expect(await agent.manifest(reg.containerInstanceArn)).toMatchObject({ active: false });
  });

  it("marks an instance agentConnected false when heartbeats stop, and true when they return", async () => {
    await sched.commands.send(CreateCluster, { clusterName: "hb" }, meta);
    const agent = fakeAgent(sched.nc, sched.prefix, "i-00000000000000hb");
    const reg = await agent.register({
      cluster: "hb",
      totalResources: resources(1024, 512),
      attributes: [],
      versionInfo: {},
    });
    const connected = async () =>
      (
        await sched.tdb.db
          .selectFrom("container_instances")
          .select("agent_connected")
          .where("container_instance_arn", "=", reg.containerInstanceArn)
          .executeTakeFirstOrThrow()
      ).agent_connected;
    expect(await connected()).toBe(true);
    await waitFor(async () => !(await connected()), "agentConnected false");
    const beat = setInterval(() => agent.heartbeat(reg.containerInstanceArn), 100);
    try {
      await waitFor(connected, "agentConnected true again");
    } finally {
      clearInterval(beat);
    }
  });

  it("refuses an agent's manifest request, task report and heartbeat for another agent's instance", async () => {
    await sched.commands.send(CreateCluster, { clusterName: "owners" }, meta);
    const owner = fakeAgent(sched.nc, sched.prefix, "i-0000000000owner1");
    const intruder = fakeAgent(sched.nc, sched.prefix, "i-000000000intrude");
    const reg = await owner.register({
      cluster: "owners",
      totalResources: resources(1024, 512),
      attributes: [],
      versionInfo: {},
    });
    await intruder.register({
      cluster: "owners",
      totalResources: resources(1024, 512),
      attributes: [],
      versionInfo: {},
    });
    await sched.commands.send(
      RegisterTaskDefinition,
      { family: "owned", containerDefinitions: [{ name: "app", image: "busybox", memory: 64 }] },
      meta,
    );
    const run = await sched.commands.send(
      RunTask,
      {
        cluster: "owners",
        taskDefinition: "owned",
        placementConstraints: [
          { type: "memberOf", expression: "ec2InstanceId == i-0000000000owner1" },
        ],
      },
      meta,
    );
    const [taskArn] = run.taskArns as [string];
    expect(taskArn).toBeDefined();

    await expect(intruder.manifest(reg.containerInstanceArn)).rejects.toThrow(
      "AccessDeniedException",
    );
    await expect(
      intruder.report({
        taskArn,
        lastStatus: "STOPPED",
        containers: [{ name: "app", lastStatus: "STOPPED", exitCode: 1 }],
        stoppedAt: Date.now() / 1000,
        at: Date.now() / 1000,
      }),
    ).rejects.toThrow("AccessDeniedException");
    const task = await sched.tdb.db
      .selectFrom("tasks")
      .select("last_status")
      .where("task_arn", "=", taskArn)
      .executeTakeFirstOrThrow();
    expect(task.last_status).not.toBe("STOPPED");
    // Another agent's heartbeats do not keep the owner's instance connected.
    const beat = setInterval(() => intruder.heartbeat(reg.containerInstanceArn), 100);
    try {
      await waitFor(
        async () =>
          !(
            await sched.tdb.db
              .selectFrom("container_instances")
              .select("agent_connected")
              .where("container_instance_arn", "=", reg.containerInstanceArn)
              .executeTakeFirstOrThrow()
          ).agent_connected,
        "the owner's instance disconnected despite the intruder's heartbeats",
      );
    } finally {
      clearInterval(beat);
    }
    // The owner itself is served.
    expect((await owner.manifest(reg.containerInstanceArn)).tasks.map((t) => t.taskArn)).toEqual([
      taskArn,
    ]);
  });

  it("refuses to register into a cluster that does not exist (only `default` is created)", async () => {
    const agent = fakeAgent(sched.nc, sched.prefix, "i-00000000000000zz");
    await expect(
      agent.register({
        cluster: "nope",
        totalResources: resources(1024, 512),
        attributes: [],
        versionInfo: {},
      }),
    ).rejects.toThrow("ClusterNotFoundException");
  });
});
