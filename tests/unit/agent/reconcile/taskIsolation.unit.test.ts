import { describe, expect, it } from "vitest";
import type { ManifestTask } from "../../../../shared/agent/protocol.js";
import { executeAction } from "../../../../services/agent/reconcile/executeAction.js";
import {
  NetworkSetupError,
  type ContainerRuntime,
  type ContainerState,
} from "../../../../services/agent/runtime/containerRuntime.js";
import { OOM_REASON, planTask, type TaskPlan } from "../../../../services/agent/tasks/planTask.js";
import {
  evolve,
  freshMemory,
  type TaskMemory,
} from "../../../../services/agent/tasks/taskMemory.js";
import { LABEL } from "../../../../services/agent/tasks/labels.js";
import { container, exited, manifestTask, observed, pauseObserved, SETTINGS } from "./fixtures.js";
import { Simulation } from "./simulation.js";

/**
 * An awsvpc task's network namespace (pause container) and ENI attachment, and task-level
 * limits through the task's cgroup, as the pure planner decides them.
 */

const NOW = 1_700_000_100_000;

const plan = (
  task: ManifestTask,
  containers: ContainerState[] = [],
  memory: TaskMemory = freshMemory(task.taskArn),
  cgroupOomKills?: number,
): TaskPlan =>
  planTask({
    task,
    observed: containers,
    memory,
    now: NOW,
    settings: SETTINGS,
    ...(cgroupOomKills !== undefined ? { cgroupOomKills } : {}),
  });

const awsvpc = (more: Parameters<typeof manifestTask>[0] = [container("web")], memory?: string) =>
  manifestTask(more, {
    definition: { networkMode: "awsvpc", ...(memory ? { memory, cpu: "256" } : {}) },
  });

describe("planTask: an awsvpc task's network namespace", () => {
  it("creates the network, then the pause container (before any pull), then the containers", () => {
    const task = awsvpc();
    const first = plan(task);
    expect(first.actions.map((a) => a.kind)).toEqual(["createNetwork"]);
    const networked = evolve(first.memory, { kind: "networkCreated" });

    const second = plan(task, [], networked);
    expect(second.actions).toHaveLength(1);
    const start = second.actions[0];
    expect(start?.kind).toBe("startPause");
    if (start?.kind !== "startPause") throw new Error("unreachable");
    expect(start.spec?.labels[LABEL.role]).toBe("pause");
    expect(second.report).toBeUndefined(); // PROVISIONING is not reported

    const third = plan(task, [pauseObserved(task)], networked);
    expect(third.actions.map((a) => a.kind)).toEqual(["pullImages"]);
  });

  it("starts a pause container that was created but never started, by id", () => {
    const task = awsvpc();
    const memory = { ...freshMemory(task.taskArn), networkReady: true };
    const p = plan(
      task,
      [pauseObserved(task, { status: "created", startedAt: undefined })],
      memory,
    );
    expect(p.actions).toEqual([{ kind: "startPause", id: "id-pause" }]);
  });

  it("reports the pause container's address as an ATTACHED ENI, and it in every later report", () => {
    const task = awsvpc();
    const memory = { ...freshMemory(task.taskArn), networkReady: true, imagesPulled: true };
    const p = plan(task, [pauseObserved(task), observed(task, "web")], memory);
    expect(p.report?.lastStatus).toBe("RUNNING");
    const [eni] = p.report?.attachments ?? [];
    expect(eni).toMatchObject({ type: "ElasticNetworkInterface", status: "ATTACHED" });
    expect(eni?.details).toEqual(
      expect.arrayContaining([
        { name: "privateIPv4Address", value: "172.20.0.2" },
        { name: "macAddress", value: "02:42:ac:14:00:02" },
        { name: "privateDnsName", value: "ip-172-20-0-2.ec2.internal" },
      ]),
    );
    expect(p.memory.address).toEqual({
      privateIPv4Address: "172.20.0.2",
      macAddress: "02:42:ac:14:00:02",
    });
  });

  it("reports the task's ports published on the pause container as each container's bindings", () => {
    const task = awsvpc([
      container("web", { portMappings: [{ containerPort: 80, hostPort: 80, protocol: "tcp" }] }),
      container("side", {
        portMappings: [{ containerPort: 9000, hostPort: 9000, protocol: "tcp" }],
      }),
    ]);
    const memory = { ...freshMemory(task.taskArn), networkReady: true, imagesPulled: true };
    const pause = pauseObserved(task, {
      ports: [
        { containerPort: 80, hostPort: 32768, protocol: "tcp", hostIp: "127.0.0.1" },
        { containerPort: 9000, hostPort: 32769, protocol: "tcp", hostIp: "127.0.0.1" },
      ],
    });
    const p = plan(task, [pause, observed(task, "web"), observed(task, "side")], memory);
    const byName = new Map(p.report?.containers.map((c) => [c.name, c.networkBindings]));
    expect(byName.get("web")).toEqual([
      { bindIP: "127.0.0.1", containerPort: 80, hostPort: 32768, protocol: "tcp" },
    ]);
    expect(byName.get("side")).toEqual([
      { bindIP: "127.0.0.1", containerPort: 9000, hostPort: 32769, protocol: "tcp" },
    ]);
  });

  it("stops the pause container after the containers (DEPROVISIONING), then removes the network", () => {
    const task = { ...awsvpc(), desiredStatus: "STOPPED" as const, lastStatus: "RUNNING" as const };
    const memory = { ...freshMemory(task.taskArn), networkReady: true, imagesPulled: true };
    const stopping = plan(task, [pauseObserved(task), observed(task, "web")], memory);
    expect(stopping.actions.map((a) => a.kind)).toEqual(["stopContainer"]);
    expect(stopping.report?.lastStatus).toBe("STOPPING");

    const pauseStop = plan(task, [pauseObserved(task), exited(task, "web", 143)], stopping.memory);
    expect(pauseStop.actions).toEqual([
      { kind: "stopContainer", container: "pause", id: "id-pause", timeoutSeconds: 2 },
    ]);
    expect(pauseStop.report?.lastStatus).toBe("DEPROVISIONING");

    const gone = [pauseObserved(task, { status: "exited", exitCode: 0 }), exited(task, "web", 143)];
    const network = plan(task, gone, pauseStop.memory);
    expect(network.actions.map((a) => a.kind)).toEqual(["removeNetwork"]);

    const stopped = plan(task, gone, evolve(network.memory, { kind: "networkRemoved" }));
    expect(stopped.report?.lastStatus).toBe("STOPPED");
    expect(stopped.report?.attachments?.[0]?.status).toBe("DELETED");
    expect(stopped.report?.attachments?.[0]?.details).toContainEqual({
      name: "privateIPv4Address",
      value: "172.20.0.2",
    });
  });

  it("fails the task to start when the pause container cannot be set up", () => {
    const task = awsvpc();
    const memory = evolve(
      { ...freshMemory(task.taskArn), networkReady: true },
      { kind: "pauseFailed", message: "no static busybox" },
    );
    const p = plan(task, [], memory);
    expect(p.report).toMatchObject({ lastStatus: "DEPROVISIONING" });
    expect(memory.ending).toEqual({
      stopCode: "TaskFailedToStart",
      stoppedReason:
        "ResourceInitializationError: unable to set up the task's network namespace: no static busybox",
    });
  });

  it("fails the task to start when the engine refuses its network for good; retries a passing failure", async () => {
    const task = awsvpc();
    const create = plan(task, [], freshMemory(task.taskArn)).actions.find(
      (a) => a.kind === "createNetwork",
    )!;
    const refusing = (err: Error) =>
      ({ createNetwork: () => Promise.reject(err) }) as unknown as ContainerRuntime;
    const noPool = await executeAction(
      refusing(
        new NetworkSetupError(
          "create network x: could not find an available, non-overlapping IPv4 address pool",
        ),
      ),
      create,
      Date.now,
    );
    expect(noPool).toEqual({
      kind: "pauseFailed",
      message: "create network x: could not find an available, non-overlapping IPv4 address pool",
    });
    expect(evolve(freshMemory(task.taskArn), noPool).ending?.stopCode).toBe("TaskFailedToStart");
    const passing = await executeAction(
      refusing(new Error("connect ECONNREFUSED")),
      create,
      Date.now,
    );
    expect(passing.kind).toBe("transient");
  });

  it("stops a running task whose pause container exited (its namespace is gone)", () => {
    const task = awsvpc();
    const memory = { ...freshMemory(task.taskArn), networkReady: true, imagesPulled: true };
    const p = plan(
      task,
      [pauseObserved(task, { status: "exited", exitCode: 137 }), observed(task, "web")],
      memory,
    );
    expect(p.memory.ending?.stopCode).toBe("EssentialContainerExited");
    expect(p.actions.map((a) => a.kind)).toEqual(["stopContainer"]);
  });
});

describe("planTask: task-level limits", () => {
  it("prepares the task's cgroup before the pause container, and runs everything under it", () => {
    const task = awsvpc([container("web")], "512");
    const networked = { ...freshMemory(task.taskArn), networkReady: true };
    const p = plan(task, [], networked);
    expect(p.actions).toEqual([
      {
        kind: "prepareCgroup",
        cgroup: `flotilla/${task.taskArn.split("/").at(-1)}`,
        limits: { memoryMiB: 512, cpuUnits: 256 },
      },
    ]);
    const prepared = evolve(p.memory, { kind: "cgroupPrepared", parent: "/flotilla/t1" });
    const pause = plan(task, [], prepared).actions[0];
    expect(pause?.kind === "startPause" && pause.spec?.cgroupParent).toBe("/flotilla/t1");

    const pulled = { ...prepared, imagesPulled: true };
    const web = plan(task, [pauseObserved(task)], pulled).actions[0];
    expect(web?.kind === "startContainer" && web.spec).toMatchObject({
      cgroupParent: "/flotilla/t1",
      memoryMiB: 0,
    });
  });

  it("keeps per-container limits where the runtime has no task cgroups", () => {
    const task = manifestTask([container("web")], { definition: { memory: "256" } });
    const memory = evolve(freshMemory(task.taskArn), { kind: "cgroupPrepared" });
    const start = plan(task, [], { ...memory, imagesPulled: true }).actions[0];
    expect(start?.kind === "startContainer" && start.spec?.memoryMiB).toBe(256);
    expect(start?.kind === "startContainer" && start.spec?.cgroupParent).toBeUndefined();
  });

  it("a 137 exit in a task whose cgroup saw an OOM kill is ECS's OutOfMemoryError", () => {
    const task = manifestTask([container("web")], { definition: { memory: "64" } });
    const memory: TaskMemory = {
      ...freshMemory(task.taskArn),
      imagesPulled: true,
      cgroup: { parent: "/flotilla/t" },
      startedAt: 1_700_000_001,
      reportedStatus: "RUNNING",
    };
    const killed = exited(task, "web", 137, { oomKilled: false });
    const p = plan({ ...task, lastStatus: "RUNNING" }, [killed], memory, 1);
    expect(p.report).toMatchObject({
      lastStatus: "STOPPING",
      stopCode: "EssentialContainerExited",
      stoppedReason: "Essential container in task exited",
    });
    expect(p.report?.containers[0]).toMatchObject({ exitCode: 137, reason: OOM_REASON });
    // Then the cgroup goes, and the reason stays.
    expect(p.actions).toEqual([
      { kind: "removeCgroup", cgroup: `flotilla/${task.taskArn.split("/").at(-1)}` },
    ]);
    const after = plan(task, [killed], evolve(p.memory, { kind: "cgroupRemoved" }));
    expect(after.report?.lastStatus).toBe("STOPPED");
    expect(after.report?.containers[0]?.reason).toBe(OOM_REASON);

    // The same exit without an OOM kill in the cgroup is a plain exit.
    const plain = plan({ ...task, lastStatus: "RUNNING" }, [killed], memory, 0);
    expect(plain.report?.containers[0]?.reason).toBeUndefined();
  });
});

describe("an awsvpc task on a hollow host (agent reconciler)", () => {
  it("runs a pause container holding the task's one address, reported as its ENI", async () => {
    const sim = new Simulation();
    const task = awsvpc([
      container("web", {
        command: ["httpd", "-f"],
        portMappings: [{ containerPort: 80, hostPort: 80, protocol: "tcp" }],
      }),
      container("side", { command: ["httpd", "-f"] }),
    ]);
    sim.scheduler.place(task);
    await sim.pass();
    const running = sim.scheduler.last(task.taskArn);
    expect(running?.lastStatus).toBe("RUNNING");
    const all = await sim.containers(task.taskArn);
    const pause = all.find((c) => c.labels[LABEL.role] === "pause");
    const apps = all.filter((c) => c.labels[LABEL.role] === undefined);
    expect(apps).toHaveLength(2);
    expect(pause?.ipAddress).toMatch(/^10\./);
    expect(apps.every((c) => c.ipAddress === undefined)).toBe(true);
    const ip = running?.attachments?.[0]?.details.find((d) => d.name === "privateIPv4Address");
    expect(ip?.value).toBe(pause?.ipAddress);
    const web = running?.containers.find((c) => c.name === "web");
    expect(web?.networkBindings?.[0]).toMatchObject({ containerPort: 80, bindIP: "127.0.0.1" });
    expect(web?.networkBindings?.[0]?.hostPort).toBe(pause?.ports[0]?.hostPort);

    sim.scheduler.stop(task.taskArn);
    await sim.pass();
    expect(sim.scheduler.statusesOf(task.taskArn)).toEqual([
      "PENDING",
      "RUNNING",
      "STOPPING",
      "DEPROVISIONING",
      "STOPPED",
    ]);
    expect(sim.scheduler.last(task.taskArn)?.attachments?.[0]?.status).toBe("DELETED");
    const after = await sim.containers(task.taskArn);
    expect(after.every((c) => c.status === "exited")).toBe(true);
    // The cleanup delay later the pause container goes with the others.
    await sim.run(70_000, 10_000);
    expect(await sim.containers(task.taskArn)).toHaveLength(0);
  });
});

describe("planTask: a task cgroup after an agent restart", () => {
  it("finds the cgroup on its containers' label, and removes it with the task", () => {
    const task = {
      ...manifestTask([container("web")], { definition: { memory: "128" } }),
      lastStatus: "RUNNING" as const,
    };
    const labelled = observed(task, "web", {
      labels: {
        ...observed(task, "web").labels,
        [LABEL.cgroupParent]: "/flotilla/t9",
      },
    });
    const running = plan(task, [labelled]);
    expect(running.memory.cgroup).toEqual({ parent: "/flotilla/t9" });
    const stop = plan(
      { ...task, desiredStatus: "STOPPED" },
      [{ ...labelled, status: "exited", exitCode: 0, finishedAt: new Date(NOW - 1000) }],
      running.memory,
    );
    expect(stop.actions).toEqual([
      { kind: "removeCgroup", cgroup: `flotilla/${task.taskArn.split("/").at(-1)}` },
    ]);
  });

  it("labels every container of a task under a cgroup with it", () => {
    const task = awsvpc([container("web")], "256");
    const memory: TaskMemory = {
      ...freshMemory(task.taskArn),
      networkReady: true,
      imagesPulled: true,
      cgroup: { parent: "/flotilla/t8" },
    };
    const pause = plan(task, [], memory).actions[0];
    expect(pause?.kind === "startPause" && pause.spec?.labels[LABEL.cgroupParent]).toBe(
      "/flotilla/t8",
    );
    const web = plan(task, [pauseObserved(task)], memory).actions[0];
    expect(web?.kind === "startContainer" && web.spec?.labels[LABEL.cgroupParent]).toBe(
      "/flotilla/t8",
    );
  });
});
