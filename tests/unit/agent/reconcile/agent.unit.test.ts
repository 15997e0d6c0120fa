import { afterEach, describe, expect, it, vi } from "vitest";
import type {
  Heartbeat,
  Manifest,
  RegisterRequest,
  StatsReport,
  TaskStateReportMessage,
} from "../../../../shared/agent/protocol.js";
import { silentLogger } from "../../../../shared/log/index.js";
import {
  startAgent,
  type AgentSettings,
  type RunningAgent,
} from "../../../../services/agent/agent.js";
import { HollowRuntime } from "../../../../services/agent/runtime/hollowRuntime.js";
import type { SchedulerLink } from "../../../../services/agent/scheduler/schedulerLink.js";
import { container, manifestTask, SETTINGS } from "./fixtures.js";
import { FakeScheduler } from "./simulation.js";

const ARN = "arn:aws:ecs:us-east-1:000000000000:container-instance/default/abc";

const settings: AgentSettings = {
  ...SETTINGS,
  cluster: "default",
  availabilityZone: "us-east-1b",
  instanceType: "flotilla.local",
  reservedCpu: 0,
  reservedMemoryMiB: 256,
  attributes: [{ name: "stack", value: "blue" }],
  agentVersion: "test",
  heartbeatIntervalMs: 20,
  reconcileIntervalMs: 50,
  statsIntervalMs: 30,
};

/** A scheduler reached in memory: it can refuse registrations and drop reports on purpose. */
class MemoryLink implements SchedulerLink {
  readonly scheduler = new FakeScheduler();
  registrations: RegisterRequest[] = [];
  heartbeats: Heartbeat[] = [];
  statsReports: StatsReport[] = [];
  refuseRegistrations = 0;
  dropReports = 0;
  active = true;
  private listeners: ((reason: string) => void)[] = [];

  register(request: RegisterRequest) {
    this.registrations.push(request);
    if (this.refuseRegistrations-- > 0) return Promise.reject(new Error("no responders"));
    return Promise.resolve({ clusterName: "default", containerInstanceArn: ARN });
  }
  manifest(containerInstanceArn: string): Promise<Manifest> {
    return Promise.resolve({
      containerInstanceArn,
      active: this.active,
      tasks: this.scheduler.manifest(),
    });
  }
  reportState(report: TaskStateReportMessage) {
    if (this.dropReports-- > 0) return Promise.reject(new Error("timeout"));
    this.scheduler.record(report);
    return Promise.resolve();
  }
  heartbeat(h: Heartbeat) {
    this.heartbeats.push(h);
  }
  stats(r: StatsReport) {
    this.statsReports.push(r);
  }
  onNotify(listener: (reason: string) => void) {
    this.listeners.push(listener);
    return () => {
      this.listeners = this.listeners.filter((l) => l !== listener);
    };
  }
  notify() {
    for (const l of this.listeners) l("test");
  }
  reachable() {
    return Promise.resolve(true);
  }
}

let running: RunningAgent[] = [];
afterEach(async () => {
  await Promise.all(running.map((a) => a.stop()));
  running = [];
});

const start = (link: MemoryLink, runtime: HollowRuntime) => {
  const agent = startAgent({ settings, runtime, link, log: silentLogger });
  running.push(agent);
  return agent;
};

describe("the agent loop (in-memory scheduler link, hollow runtime, real timers)", () => {
  it("registers with retries, resources less the reservation and its attributes, then heartbeats", async () => {
    const link = new MemoryLink();
    link.refuseRegistrations = 2;
    const agent = start(link, new HollowRuntime({ cpus: 2, memoryMiB: 4096 }));
    await agent.registered;

    expect(link.registrations).toHaveLength(3);
    const req = link.registrations.at(-1);
    expect(req?.cluster).toBe("default");
    expect(req?.totalResources.find((r) => r.name === "CPU")?.integerValue).toBe(2048);
    expect(req?.totalResources.find((r) => r.name === "MEMORY")?.integerValue).toBe(4096 - 256);
    const attrs = Object.fromEntries((req?.attributes ?? []).map((a) => [a.name, a.value]));
    expect(attrs).toMatchObject({
      "ecs.availability-zone": "us-east-1b",
      "ecs.instance-type": "flotilla.local",
      "ecs.os-type": "linux",
      "ecs.cpu-architecture": "x86_64",
      "com.flotilla.agent-version": "test",
      "com.flotilla.docker-version": "hollow-1",
      stack: "blue",
    });
    await vi.waitFor(() => expect(link.heartbeats.length).toBeGreaterThan(1));
    expect(link.heartbeats[0]).toMatchObject({
      agentId: settings.agentId,
      containerInstanceArn: ARN,
    });
    expect((await agent.ready()).ready).toBe(true);
  });

  it("runs a task on notify, streams its stats, and delivers reports through a scheduler outage", async () => {
    const link = new MemoryLink();
    const runtime = new HollowRuntime({ cpus: 2, memoryMiB: 4096 });
    const agent = start(link, runtime);
    await agent.registered;
    link.dropReports = 3;
    const task = manifestTask([
      container("burn", { command: ["yes"], cpu: 512, memoryReservation: 128 }),
    ]);
    link.scheduler.place(task);
    link.notify();

    await vi.waitFor(() => expect(link.scheduler.last(task.taskArn)?.lastStatus).toBe("RUNNING"), {
      timeout: 5_000,
    });
    expect(link.scheduler.statusesOf(task.taskArn)).toEqual(["PENDING", "RUNNING"]);

    await vi.waitFor(() => expect(link.statsReports.some((r) => r.tasks.length > 0)).toBe(true));
    const burn = link.statsReports.flatMap((r) => r.tasks).at(-1)?.containers[0];
    expect(burn).toMatchObject({ name: "burn", cpuUnitsReserved: 512, memoryMiBReserved: 128 });
    expect(burn?.cpuUnitsUsed).toBeGreaterThan(900);
    expect(burn?.cpuUnitsUsed).toBeLessThan(1100);

    link.scheduler.stop(task.taskArn);
    await vi.waitFor(() => expect(link.scheduler.last(task.taskArn)?.lastStatus).toBe("STOPPED"), {
      timeout: 5_000,
    });
    expect(link.scheduler.last(task.taskArn)?.stopCode).toBe("UserInitiated");
  });

  it("adopts the containers of a previous agent process instead of creating them again", async () => {
    const link = new MemoryLink();
    const runtime = new HollowRuntime({ cpus: 2, memoryMiB: 4096 });
    const first = start(link, runtime);
    await first.registered;
    const tasks = [1, 2, 3].map(() =>
      manifestTask([container("web", { command: ["httpd", "-f"] })]),
    );
    for (const t of tasks) link.scheduler.place(t);
    link.notify();
    await vi.waitFor(() =>
      expect(tasks.every((t) => link.scheduler.last(t.taskArn)?.lastStatus === "RUNNING")).toBe(
        true,
      ),
    );
    const ids = (await runtime.list({})).map((c) => c.id).sort();
    await first.stop();

    const second = start(link, runtime);
    await second.registered;
    second.reconcileNow();
    await second.whenIdle();
    await vi.waitFor(async () =>
      expect((await runtime.list({})).map((c) => c.id).sort()).toEqual(ids),
    );
    expect((await runtime.list({})).every((c) => c.status === "running")).toBe(true);
  });
});
