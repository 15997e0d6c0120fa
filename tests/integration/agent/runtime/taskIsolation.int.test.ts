import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ManifestTask, TaskStateReportMessage } from "../../../../shared/agent/protocol.js";
import { silentLogger } from "../../../../shared/log/index.js";
import { dockerTaskAddresses } from "../../../../services/agent/credentials/taskAddresses.js";
import { TaskReconciler } from "../../../../services/agent/reconcile/taskReconciler.js";
import { DockerRuntime } from "../../../../services/agent/runtime/dockerRuntime.js";
import { LABEL, taskCgroupName } from "../../../../services/agent/tasks/labels.js";
import type { PlanSettings } from "../../../../services/agent/tasks/planTask.js";
import { OOM_REASON } from "../../../../services/agent/tasks/planTask.js";
import { CONTAINER_SPEC_DEFAULTS } from "../../../fixtures/containerSpec.js";
import { container, manifestTask } from "../../../unit/agent/reconcile/fixtures.js";

/**
 * An awsvpc task through the agent's real reconcile code on the real Docker engine
 * (docs/fargate.md): one network namespace held by a pause container built on first need
 * from the host's static busybox, one address reported as the task's ENI, and task-level
 * memory enforced on the whole task through its cgroup. Everything this run makes carries
 * its agent id and is removed in afterAll.
 */

const IMAGE = "flotilla-test/busybox:latest";
const runId = `iso${process.pid}${Date.now().toString(36)}`;
const AGENT_ID = `i-${runId}`;
const PAUSE_IMAGE = `flotilla-test/pause:${runId}`;
const CGROUP_ROOT = "/sys/fs/cgroup";
const repoRoot = join(import.meta.dirname, "../../../..");

const runtime = new DockerRuntime({
  pauseBinary: "/bin/busybox",
  cgroups: { root: CGROUP_ROOT, log: silentLogger },
});
const docker = runtime.docker;

const settings: PlanSettings = {
  agentId: AGENT_ID,
  bindAddress: "127.0.0.1",
  allowPrivileged: false,
  allowHostPathVolumes: false,
  allowHostNetwork: false,
  allowDockerSocket: false,
  defaultMemoryMiB: 256,
  pidsLimit: 1024,
  defaultStopTimeoutSeconds: 2,
  cleanupDelayMs: 3_600_000,
  region: "us-east-1",
  pauseImage: PAUSE_IMAGE,
};

const reports: TaskStateReportMessage[] = [];
const desired = new Map<string, ManifestTask>();
const reconciler = new TaskReconciler({
  runtime,
  settings,
  log: silentLogger,
  now: () => Date.now(),
  onReport: (report) => {
    reports.push(report);
    // As the scheduler does: a STOPPED task leaves the manifest; others record their status.
    const task = desired.get(report.taskArn);
    if (!task) return;
    if (report.lastStatus === "STOPPED") desired.delete(report.taskArn);
    else desired.set(report.taskArn, { ...task, lastStatus: report.lastStatus });
  },
});

const lastReport = (taskArn: string) => reports.filter((r) => r.taskArn === taskArn).at(-1);

/** Reconciles as the agent's loop does until `done` holds, or fails after `timeoutMs`. */
async function converge(
  what: string,
  done: () => boolean | Promise<boolean>,
  timeoutMs = 45_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    await reconciler.reconcile([...desired.values()]);
    await reconciler.whenIdle();
    if (await done()) return;
    if (Date.now() > deadline) {
      const last = reports.at(-1);
      throw new Error(`timed out waiting for ${what}; last report: ${JSON.stringify(last)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

const inspectByName = (name: string) => docker.getContainer(name).inspect();

const taskContainers = async (taskArn: string) =>
  docker.listContainers({
    all: true,
    filters: { label: [`${LABEL.agentId}=${AGENT_ID}`, `${LABEL.taskArn}=${taskArn}`] },
  });

const awsvpcTask = (containers: ReturnType<typeof container>[], more: { memory?: string } = {}) =>
  manifestTask(containers, {
    definition: {
      networkMode: "awsvpc",
      ...(more.memory !== undefined ? { memory: more.memory, cpu: "256" } : {}),
    },
  });

beforeAll(async () => {
  const present = await docker
    .getImage(IMAGE)
    .inspect()
    .then(
      () => true,
      () => false,
    );
  if (!present) {
    await promisify(execFile)("bash", [join(repoRoot, "scripts/build-test-images.sh"), "busybox"]);
  }
});

afterAll(async () => {
  const filters = { label: [`${LABEL.agentId}=${AGENT_ID}`] };
  const containers = await docker.listContainers({ all: true, filters });
  await Promise.allSettled(
    containers.map((c) => docker.getContainer(c.Id).remove({ force: true, v: true })),
  );
  const networks = await docker.listNetworks({ filters });
  await Promise.allSettled(networks.map((n) => docker.getNetwork(n.Id).remove()));
  for (const task of tasks) {
    await runtime.removeTaskCgroup(taskCgroupName(task.taskArn)).catch(() => undefined);
  }
  await docker
    .getImage(PAUSE_IMAGE)
    .remove({ force: true })
    .catch(() => undefined);
});

const tasks: ManifestTask[] = [];

describe("an awsvpc task on the real engine", () => {
  it("shares one network namespace and one address, reported as the task's ENI", async () => {
    const task = awsvpcTask([
      container("server", {
        image: IMAGE,
        command: [
          "sh",
          "-c",
          "mkdir -p /tmp/www && echo hello-from-server > /tmp/www/index.html && exec httpd -f -p 8080 -h /tmp/www",
        ],
        portMappings: [{ containerPort: 8080, hostPort: 8080, protocol: "tcp" }],
      }),
      // Reaches the server on 127.0.0.1: only true when both share one network namespace.
      container("client", {
        image: IMAGE,
        essential: false,
        command: [
          "sh",
          "-c",
          "i=0; while [ $i -lt 100 ]; do wget -q -O - http://127.0.0.1:8080/ | grep -q hello-from-server && exit 0; i=$((i+1)); sleep 0.2; done; exit 1",
        ],
      }),
    ]);
    tasks.push(task);
    desired.set(task.taskArn, task);

    await converge("the client to reach the server on 127.0.0.1", () => {
      const client = lastReport(task.taskArn)?.containers.find((c) => c.name === "client");
      return client?.lastStatus === "STOPPED";
    });
    const report = lastReport(task.taskArn);
    expect(report?.lastStatus).toBe("RUNNING");
    expect(report?.containers.find((c) => c.name === "client")?.exitCode).toBe(0);

    // One address: the pause container's, on the task's own network; the others join it.
    const states = await taskContainers(task.taskArn);
    const pause = states.find((c) => c.Labels[LABEL.role] === "pause");
    expect(pause).toBeDefined();
    const pauseInfo = await inspectByName(pause?.Id ?? "");
    const networks = Object.values(pauseInfo.NetworkSettings.Networks);
    expect(networks).toHaveLength(1);
    const ip = networks[0]?.IPAddress ?? "";
    expect(ip).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
    for (const c of states.filter((s) => s.Labels[LABEL.role] === undefined)) {
      const info = await inspectByName(c.Id);
      expect(info.HostConfig.NetworkMode).toBe(`container:${pauseInfo.Id}`);
    }

    // The credentials endpoint takes the task's requests from that one address.
    expect(await dockerTaskAddresses("/var/run/docker.sock")(task.taskArn)).toEqual(new Set([ip]));

    // The attachment carries the pause container's address and MAC.
    const eni = report?.attachments?.[0];
    expect(eni).toMatchObject({ type: "ElasticNetworkInterface", status: "ATTACHED" });
    expect(eni?.details).toEqual(
      expect.arrayContaining([
        { name: "privateIPv4Address", value: ip },
        { name: "macAddress", value: networks[0]?.MacAddress ?? "" },
        { name: "privateDnsName", value: `ip-${ip.replace(/\./g, "-")}.ec2.internal` },
      ]),
    );
    expect(eni?.details.find((d) => d.name === "networkInterfaceId")?.value).toMatch(
      /^eni-[0-9a-f]{17}$/,
    );

    // The server's port is published on the pause container and reported as its binding.
    const binding = report?.containers.find((c) => c.name === "server")?.networkBindings?.[0];
    expect(binding).toMatchObject({ containerPort: 8080, bindIP: "127.0.0.1", protocol: "tcp" });
    const page = await fetch(`http://127.0.0.1:${binding?.hostPort}/`).then((r) => r.text());
    expect(page.trim()).toBe("hello-from-server");

    // Stopped: the pause container stops last, the network goes, the ENI is DELETED.
    desired.set(task.taskArn, {
      ...(desired.get(task.taskArn) ?? task),
      desiredStatus: "STOPPED",
      stopCode: "UserInitiated",
      stoppedReason: "stopped by the test",
    });
    await converge("the task to stop", () => lastReport(task.taskArn)?.lastStatus === "STOPPED");
    const statuses = reports.filter((r) => r.taskArn === task.taskArn).map((r) => r.lastStatus);
    expect(statuses.slice(-3)).toEqual(["STOPPING", "DEPROVISIONING", "STOPPED"]);
    expect(lastReport(task.taskArn)?.attachments?.[0]?.status).toBe("DELETED");
    const netName = Object.keys(pauseInfo.NetworkSettings.Networks)[0] ?? "";
    await expect(docker.getNetwork(netName).inspect()).rejects.toMatchObject({ statusCode: 404 });
  });

  it("enforces task-level memory on the whole task: a container with no limit of its own is OOM-killed", async () => {
    const task = awsvpcTask(
      [
        container("hog", {
          image: IMAGE,
          // No container-level memory: only the task's 64 MiB bounds it.
          command: ["sh", "-c", "x=a; while :; do x=$x$x; done"],
        }),
      ],
      { memory: "64" },
    );
    tasks.push(task);
    desired.set(task.taskArn, task);
    const cgroup = taskCgroupName(task.taskArn);

    // While it runs: its container and the pause container are in the task's cgroup, which
    // holds the limit; the container has none of its own.
    let checkedWhileRunning = false;
    await converge("the task to stop", async () => {
      if (!checkedWhileRunning) {
        const hog = (await taskContainers(task.taskArn)).find(
          (c) => c.Labels[LABEL.containerName] === "hog",
        );
        if (hog) {
          const info = await inspectByName(hog.Id);
          expect(info.HostConfig.CgroupParent).toBe(`/${cgroup}`);
          expect(info.HostConfig.Memory).toBe(0);
          checkedWhileRunning = true;
        }
      }
      return lastReport(task.taskArn)?.lastStatus === "STOPPED";
    });
    expect(checkedWhileRunning).toBe(true);
    const report = lastReport(task.taskArn);
    expect(report).toMatchObject({
      lastStatus: "STOPPED",
      stopCode: "EssentialContainerExited",
      stoppedReason: "Essential container in task exited",
    });
    expect(report?.containers[0]).toMatchObject({
      name: "hog",
      exitCode: 137,
      reason: OOM_REASON,
    });
    // The task's cgroup goes with the task.
    expect(existsSync(join(CGROUP_ROOT, "memory", cgroup))).toBe(false);
  });

  it("the task cgroup's own counters show an OOM kill below it, until it is removed", async () => {
    const name = `flotilla/${runId}-raw`;
    tasks.push({ taskArn: `x/${runId}-raw` } as ManifestTask); // removed in afterAll too
    expect(await runtime.prepareTaskCgroup(name, { memoryMiB: 32 })).toBe(`/${name}`);
    expect(await runtime.taskCgroupOomKills(name)).toBe(0);
    const id = await runtime.createContainer({
      name: `${runId}-raw`,
      image: IMAGE,
      labels: { [LABEL.agentId]: AGENT_ID },
      ...CONTAINER_SPEC_DEFAULTS,
      memoryMiB: 0,
      command: ["sh", "-c", "x=a; while :; do x=$x$x; done"],
      cgroupParent: `/${name}`,
    });
    await runtime.startContainer(id);
    const deadline = Date.now() + 30_000;
    let state = await runtime.inspect(id);
    while (state?.status !== "exited" && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      state = await runtime.inspect(id);
    }
    expect(state).toMatchObject({ status: "exited", exitCode: 137 });
    expect(await runtime.taskCgroupOomKills(name)).toBeGreaterThanOrEqual(1);
    await runtime.removeContainer(id);
    await runtime.removeTaskCgroup(name);
    expect(existsSync(join(CGROUP_ROOT, "memory", name))).toBe(false);
    expect(await runtime.taskCgroupOomKills(name)).toBe(0);
  });
});
