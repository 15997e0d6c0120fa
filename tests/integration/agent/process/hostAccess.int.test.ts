import { randomBytes } from "node:crypto";
import type { NatsConnection } from "@nats-io/nats-core";
import { connect } from "@nats-io/transport-node";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { TaskStateReportMessage, type ManifestTask } from "../../../../shared/agent/protocol.js";
import { agentSubject } from "../../../../shared/bus/index.js";
import { silentLogger } from "../../../../shared/log/index.js";
import { startAgent, type AgentSettings } from "../../../../services/agent/agent.js";
import { DockerRuntime } from "../../../../services/agent/runtime/dockerRuntime.js";
import { natsSchedulerLink } from "../../../../services/agent/scheduler/natsSchedulerLink.js";
import { LABEL } from "../../../../services/agent/tasks/labels.js";
import { natsUrl, testPrefix } from "../../../fixtures/nats.js";
import { container, manifestTask, SETTINGS } from "../../../unit/agent/reconcile/fixtures.js";

/**
 * Host access on a real Docker engine: an agent with the defaults refuses a privileged task
 * before creating anything and reports why; an agent allowing it runs the container, and the
 * engine shows the limits every container gets (memory, pids, no-new-privileges). A fake
 * scheduler answers on real NATS, as in agentOverNats.int.test.ts.
 */
const run = randomBytes(4).toString("hex");
const docker = new DockerRuntime().docker;

const settingsFor = (agentId: string, more: Partial<AgentSettings> = {}): AgentSettings => ({
  ...SETTINGS,
  agentId,
  cluster: "default",
  availabilityZone: "us-east-1a",
  instanceType: "flotilla.local",
  reservedCpu: 0,
  reservedMemoryMiB: 256,
  attributes: [],
  agentVersion: "test",
  heartbeatIntervalMs: 200,
  reconcileIntervalMs: 300,
  statsIntervalMs: 1_000,
  ...more,
});

/** A busybox task with an id unique to this run (container names derive from it). */
const taskOf = (more: { privileged?: boolean }): ManifestTask => {
  const base = manifestTask([container("web", { ...more, command: ["sleep", "300"] })]);
  const taskArn = `arn:aws:ecs:us-east-1:000000000000:task/default/${run}${randomBytes(12).toString("hex")}`;
  return {
    ...base,
    taskArn,
    containers: base.containers.map((c) => ({ ...c, containerArn: `${taskArn}/${c.name}` })),
  };
};

describe("host access on a real Docker engine", () => {
  let nc: NatsConnection;
  const prefix = testPrefix("hostaccess");
  const manifests = new Map<string, Map<string, ManifestTask>>();
  const reports: TaskStateReportMessage[] = [];
  const agentIds: string[] = [];

  const lastReport = (taskArn: string) => reports.filter((r) => r.taskArn === taskArn).at(-1);

  /** Starts an agent answered by the fake scheduler; returns it with its task set. */
  const withAgent = async (
    agentId: string,
    more: Partial<AgentSettings>,
    body: (tasks: Map<string, ManifestTask>) => Promise<void>,
  ) => {
    agentIds.push(agentId);
    const arn = `arn:aws:ecs:us-east-1:000000000000:container-instance/default/${agentId}`;
    const tasks = new Map<string, ManifestTask>();
    manifests.set(agentId, tasks);
    const on = (kind: string, handle: (body: unknown) => unknown) =>
      nc.subscribe(agentSubject(prefix, agentId, kind), {
        callback: (_err, msg) => {
          const reply = handle(msg.json());
          if (reply !== undefined) msg.respond(JSON.stringify(reply));
        },
      });
    const subs = [
      on("register", () => ({
        ok: true,
        result: { clusterName: "default", containerInstanceArn: arn },
      })),
      on("manifest", () => ({
        containerInstanceArn: arn,
        active: true,
        tasks: [...tasks.values()],
      })),
      on("state", (b) => {
        reports.push(TaskStateReportMessage.parse(b));
        return {};
      }),
    ];
    await nc.flush();
    const connection = await connect({ servers: natsUrl() });
    const agent = startAgent({
      settings: settingsFor(agentId, more),
      runtime: new DockerRuntime(),
      link: natsSchedulerLink({
        nc: connection,
        prefix,
        agentId,
        timeoutMs: 2_000,
        log: silentLogger,
      }),
      log: silentLogger,
    });
    try {
      await agent.registered;
      await body(tasks);
    } finally {
      await agent.stop();
      for (const s of subs) s.unsubscribe();
      await connection.drain();
    }
  };

  const place = (agentId: string, tasks: Map<string, ManifestTask>, task: ManifestTask) => {
    tasks.set(task.taskArn, task);
    nc.publish(agentSubject(prefix, agentId, "notify"), JSON.stringify({ reason: "placed" }));
  };

  const containersOf = (taskArn: string) =>
    docker.listContainers({ all: true, filters: { label: [`${LABEL.taskArn}=${taskArn}`] } });

  beforeAll(async () => {
    nc = await connect({ servers: natsUrl() });
  });

  afterAll(async () => {
    for (const agentId of agentIds) {
      const left = await docker.listContainers({
        all: true,
        filters: { label: [`${LABEL.agentId}=${agentId}`] },
      });
      await Promise.all(left.map((c) => docker.getContainer(c.Id).remove({ force: true })));
    }
    await nc?.drain();
  });

  it("refuses a privileged task by default: STOPPED with the reason, no container created", async () => {
    const agentId = `i-deny${run}`;
    await withAgent(agentId, {}, async (tasks) => {
      const task = taskOf({ privileged: true });
      place(agentId, tasks, task);
      await vi.waitFor(() => expect(lastReport(task.taskArn)?.lastStatus).toBe("STOPPED"), {
        timeout: 20_000,
        interval: 100,
      });
      const report = lastReport(task.taskArn)!;
      console.log(`refused: ${report.stoppedReason}`);
      expect(report.stopCode).toBe("TaskFailedToStart");
      expect(report.stoppedReason).toBe(
        "CannotCreateContainerError: container web (containerDefinitions[0].privileged): privileged containers are not allowed on this instance (FLOTILLA_AGENT_ALLOW_PRIVILEGED)",
      );
      expect(report.containers[0]?.reason).toBe(report.stoppedReason);
      expect(
        reports.filter((r) => r.taskArn === task.taskArn).map((r) => r.lastStatus),
      ).not.toContain("RUNNING");
      expect(await containersOf(task.taskArn)).toEqual([]);
    });
  });

  it("with FLOTILLA_AGENT_ALLOW_PRIVILEGED it creates the container; every container gets limits", async () => {
    const agentId = `i-allow${run}`;
    await withAgent(agentId, { allowPrivileged: true, pidsLimit: 2048 }, async (tasks) => {
      const privileged = taskOf({ privileged: true });
      const plain = taskOf({});
      place(agentId, tasks, privileged);
      place(agentId, tasks, plain);
      await vi.waitFor(() => expect(lastReport(plain.taskArn)?.lastStatus).toBe("RUNNING"), {
        timeout: 30_000,
        interval: 100,
      });
      const [running] = await containersOf(plain.taskArn);
      const host = (await docker.getContainer(running!.Id).inspect()).HostConfig;
      console.log(
        `started container HostConfig: Memory=${host.Memory} CpuShares=${host.CpuShares} PidsLimit=${host.PidsLimit} SecurityOpt=${JSON.stringify(host.SecurityOpt)} CapDrop=${JSON.stringify(host.CapDrop)}`,
      );
      expect(host.Memory).toBe(SETTINGS.defaultMemoryMiB * 1024 * 1024);
      expect(host.Memory).toBeGreaterThan(0);
      expect(host.PidsLimit).toBe(2048);
      expect(host.CpuShares).toBe(2);
      expect(host.SecurityOpt).toContain("no-new-privileges:true");
      expect(host.Privileged).toBe(false);

      // The agent does not refuse: Docker gets a privileged container to create. (Whether the
      // engine can start it depends on the host: a sandboxed dockerd may lack the capabilities.)
      await vi.waitFor(
        async () => {
          const [created] = await containersOf(privileged.taskArn);
          expect(created).toBeDefined();
          const status = lastReport(privileged.taskArn)?.lastStatus;
          expect(status === "RUNNING" || status === "STOPPED").toBe(true);
        },
        { timeout: 30_000, interval: 100 },
      );
      const report = lastReport(privileged.taskArn)!;
      console.log(
        `privileged task with the flag: ${report.lastStatus} ${report.stoppedReason ?? ""}`,
      );
      expect(report.stoppedReason ?? "").not.toMatch(/FLOTILLA_AGENT_ALLOW_PRIVILEGED/);
      if (report.lastStatus === "STOPPED") {
        expect(report.stoppedReason).toMatch(/^CannotStartContainerError: /);
      }
      const [created] = await containersOf(privileged.taskArn);
      const privilegedHost = (await docker.getContainer(created!.Id).inspect()).HostConfig;
      expect(privilegedHost.Privileged).toBe(true);
      expect(privilegedHost.Memory).toBeGreaterThan(0);
      expect(privilegedHost.PidsLimit).toBe(2048);
    });
  });
});
