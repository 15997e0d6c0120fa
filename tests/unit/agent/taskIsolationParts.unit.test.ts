import { execFile } from "node:child_process";
import { mkdir, mkdtemp, readFile, readlink, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { silentLogger, type Logger } from "../../../shared/log/index.js";
import { AUTOSCALING_GROUP_ATTRIBUTE } from "../../../shared/domain/capacityProviders/managedPools.js";
import { agentSettingsFromConfig } from "../../../services/agent/agent.js";
import { loadAgentConfig } from "../../../services/agent/config.js";
import { fleetSettings } from "../../../services/agent/hollowFleet.js";
import { registerRequest } from "../../../services/agent/registration/registerRequest.js";
import type { RuntimeInfo } from "../../../services/agent/runtime/containerRuntime.js";
import {
  PAUSE_COMMAND,
  pauseBuildContext,
  tarArchive,
} from "../../../services/agent/runtime/pauseImage.js";
import { TaskCgroups } from "../../../services/agent/runtime/taskCgroups.js";
import { HollowRuntime } from "../../../services/agent/runtime/hollowRuntime.js";
import { HOLLOW_IMAGE, hollowSpec, tcp } from "./hollow/hollowSpec.js";
import { toDockerCreateOptions } from "../../../services/agent/runtime/dockerCreateOptions.js";
import {
  attachmentIdOf,
  eniAttachment,
  networkInterfaceIdOf,
  privateDnsNameOf,
  subnetIdOf,
} from "../../../services/agent/tasks/taskAttachment.js";
import {
  cfsQuotaUs,
  cgroupV1Files,
  cgroupV2Files,
  oomKillsIn,
  taskLimitsOf,
  v1OomEvidence,
} from "../../../services/agent/tasks/taskLimits.js";
import { CONTAINER_SPEC_DEFAULTS } from "../../fixtures/containerSpec.js";
import { container, manifestTask } from "./reconcile/fixtures.js";

const TASK = "arn:aws:ecs:us-east-1:000000000000:task/default/0123456789abcdef0123456789abcdef";
const temps: string[] = [];
afterAll(async () => {
  for (const dir of temps) await rm(dir, { recursive: true, force: true });
});
const tempDir = async (): Promise<string> => {
  const dir = await mkdtemp(join(tmpdir(), "flotilla-iso-"));
  temps.push(dir);
  return dir;
};

describe("the task's ENI attachment", () => {
  it("has ids stable for the task and distinct between tasks", () => {
    const other = TASK.replace(/f$/, "e");
    expect(attachmentIdOf(TASK)).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/,
    );
    expect(networkInterfaceIdOf(TASK)).toMatch(/^eni-[0-9a-f]{17}$/);
    expect(subnetIdOf(TASK)).toMatch(/^subnet-[0-9a-f]{17}$/);
    expect(attachmentIdOf(TASK)).toBe(attachmentIdOf(TASK));
    expect(attachmentIdOf(other)).not.toBe(attachmentIdOf(TASK));
    expect(networkInterfaceIdOf(other)).not.toBe(networkInterfaceIdOf(TASK));
  });

  it("names the address as EC2 does, ec2.internal in us-east-1 only", () => {
    expect(privateDnsNameOf("10.0.1.23", "us-east-1")).toBe("ip-10-0-1-23.ec2.internal");
    expect(privateDnsNameOf("10.0.1.23", "eu-west-1")).toBe(
      "ip-10-0-1-23.eu-west-1.compute.internal",
    );
  });

  it("is PRECREATED without an address, ATTACHED with one, DELETED once stopped", () => {
    const address = { privateIPv4Address: "172.20.0.2", macAddress: "02:42:ac:14:00:02" };
    const pre = eniAttachment(TASK, "PENDING", undefined, "us-east-1");
    expect(pre.status).toBe("PRECREATED");
    expect(pre.details.map((d) => d.name)).toEqual(["subnetId", "networkInterfaceId"]);
    const attached = eniAttachment(TASK, "RUNNING", address, "us-east-1");
    expect(attached).toEqual({
      id: attachmentIdOf(TASK),
      type: "ElasticNetworkInterface",
      status: "ATTACHED",
      details: [
        { name: "subnetId", value: subnetIdOf(TASK) },
        { name: "networkInterfaceId", value: networkInterfaceIdOf(TASK) },
        { name: "macAddress", value: "02:42:ac:14:00:02" },
        { name: "privateDnsName", value: "ip-172-20-0-2.ec2.internal" },
        { name: "privateIPv4Address", value: "172.20.0.2" },
      ],
    });
    expect(eniAttachment(TASK, "STOPPED", address, "us-east-1").status).toBe("DELETED");
  });
});

describe("task-level limits", () => {
  it("come from the overrides, else the task definition, in either notation", () => {
    const task = manifestTask([container("a")], { definition: { memory: "1024", cpu: "512" } });
    expect(taskLimitsOf(task)).toEqual({ memoryMiB: 1024, cpuUnits: 512 });
    expect(taskLimitsOf({ ...task, overrides: { memory: "2 GB", cpu: "1 vCPU" } })).toEqual({
      memoryMiB: 2048,
      cpuUnits: 1024,
    });
    expect(taskLimitsOf(manifestTask([container("a")]))).toBeUndefined();
    expect(taskLimitsOf(manifestTask([container("a")], { definition: { memory: "64" } }))).toEqual({
      memoryMiB: 64,
    });
  });

  it("become cgroup v1 and v2 values: bytes, no swap, CFS quota of cpu/1024 cores", () => {
    expect(cfsQuotaUs(1024)).toBe(100_000);
    expect(cfsQuotaUs(256)).toBe(25_000);
    expect(cfsQuotaUs(4096)).toBe(400_000);
    expect(cfsQuotaUs(1)).toBe(1_000); // the kernel's minimum
    expect(cgroupV1Files({ memoryMiB: 64, cpuUnits: 256 })).toEqual([
      { controller: "memory", file: "memory.limit_in_bytes", value: "67108864" },
      { controller: "memory", file: "memory.memsw.limit_in_bytes", value: "67108864" },
      { controller: "cpu", file: "cpu.cfs_period_us", value: "100000" },
      { controller: "cpu", file: "cpu.cfs_quota_us", value: "25000" },
      { controller: "cpu", file: "cpu.shares", value: "256" },
    ]);
    expect(cgroupV2Files({ memoryMiB: 512, cpuUnits: 2048 })).toEqual([
      { file: "memory.max", value: "536870912" },
      { file: "memory.swap.max", value: "0" },
      { file: "cpu.max", value: "200000 100000" },
    ]);
    expect(cgroupV2Files({ cpuUnits: 512 })).toEqual([{ file: "cpu.max", value: "50000 100000" }]);
  });

  it("read OOM kills from v1 oom_control / v2 memory.events, and v1's limit-hit evidence", () => {
    expect(oomKillsIn("oom_kill_disable 0\nunder_oom 0\noom_kill 2\n")).toBe(2);
    expect(oomKillsIn("low 0\nhigh 0\nmax 14\noom 1\noom_kill 1\noom_group_kill 0\n")).toBe(1);
    expect(oomKillsIn("oom_kill_disable 0\nunder_oom 0\n")).toBe(0);
    const limit = String(64 * 1024 * 1024);
    const files = { oomControl: "oom_kill 0\n", maxUsageBytes: `${limit}\n`, limitBytes: limit };
    expect(v1OomEvidence(files)).toBe(1);
    expect(v1OomEvidence({ ...files, maxUsageBytes: String(10 * 1024 * 1024) })).toBe(0);
    expect(v1OomEvidence({ ...files, oomControl: "oom_kill 3\n" })).toBe(3);
  });
});

describe("TaskCgroups (on a directory laid out like /sys/fs/cgroup)", () => {
  const v1Root = async (): Promise<string> => {
    const root = await tempDir();
    for (const c of ["memory", "cpu", "pids"]) await mkdir(join(root, c));
    await writeFile(join(root, "memory", "memory.limit_in_bytes"), "9223372036854771712");
    return root;
  };

  it("v1: makes the task's memory and cpu cgroups with the limits, reads kills, removes them", async () => {
    const root = await v1Root();
    const cgroups = new TaskCgroups({ root, driver: "cgroupfs", log: silentLogger });
    const parent = await cgroups.prepare("flotilla/t1", { memoryMiB: 64, cpuUnits: 512 });
    expect(parent).toBe("/flotilla/t1");
    const read = (path: string) => readFile(join(root, path), "utf8");
    expect(await read("memory/flotilla/t1/memory.limit_in_bytes")).toBe("67108864");
    expect(await read("memory/flotilla/t1/memory.memsw.limit_in_bytes")).toBe("67108864");
    expect(await read("cpu/flotilla/t1/cpu.cfs_quota_us")).toBe("50000");
    expect(await read("cpu/flotilla/t1/cpu.cfs_period_us")).toBe("100000");

    await writeFile(join(root, "memory/flotilla/t1/memory.oom_control"), "oom_kill 1\n");
    await writeFile(join(root, "memory/flotilla/t1/memory.max_usage_in_bytes"), "0\n");
    expect(await cgroups.oomKills("flotilla/t1")).toBe(1);
    expect(await cgroups.oomKills("flotilla/none")).toBe(0);

    // rmdir only removes empty directories: clear what the kernel would not list.
    await rm(join(root, "memory/flotilla/t1"), { recursive: true });
    await rm(join(root, "cpu/flotilla/t1"), { recursive: true });
    await mkdir(join(root, "pids/flotilla/t1"), { recursive: true });
    await cgroups.remove("flotilla/t1");
    await expect(stat(join(root, "pids/flotilla/t1"))).rejects.toMatchObject({ code: "ENOENT" });
    await cgroups.remove("flotilla/t1"); // missing: not an error
  });

  it("v2: enables the controllers down the path and writes memory.max, swap and cpu.max", async () => {
    const root = await tempDir();
    await writeFile(join(root, "cgroup.controllers"), "cpu memory pids");
    const cgroups = new TaskCgroups({ root, driver: "cgroupfs", log: silentLogger });
    expect(await cgroups.prepare("flotilla/t2", { memoryMiB: 512, cpuUnits: 1024 })).toBe(
      "/flotilla/t2",
    );
    expect(await readFile(join(root, "cgroup.subtree_control"), "utf8")).toBe("+memory +cpu");
    expect(await readFile(join(root, "flotilla/cgroup.subtree_control"), "utf8")).toBe(
      "+memory +cpu",
    );
    expect(await readFile(join(root, "flotilla/t2/memory.max"), "utf8")).toBe("536870912");
    expect(await readFile(join(root, "flotilla/t2/cpu.max"), "utf8")).toBe("100000 100000");
    await writeFile(join(root, "flotilla/t2/memory.events"), "oom 1\noom_kill 1\n");
    expect(await cgroups.oomKills("flotilla/t2")).toBe(1);
  });

  it("degrades with one clear warning where it cannot write cgroups, or under systemd", async () => {
    const warnings: string[] = [];
    const log = {
      ...silentLogger,
      warn: (_obj: unknown, message?: string) => void warnings.push(message ?? ""),
    } as unknown as Logger;
    const missing = new TaskCgroups({
      root: join(await tempDir(), "nope"),
      driver: "cgroupfs",
      log,
    });
    expect(await missing.prepare("flotilla/t3", { memoryMiB: 64 })).toBeUndefined();
    expect(await missing.prepare("flotilla/t4", { memoryMiB: 64 })).toBeUndefined();
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/not enforced on whole tasks .*no cgroup v1 or v2 hierarchy/);

    const systemd = new TaskCgroups({ root: await v1Root(), driver: "systemd", log });
    expect(await systemd.prepare("flotilla/t5", { memoryMiB: 64 })).toBeUndefined();
    expect(warnings[1]).toMatch(/cgroup driver is systemd/);
  });
});

describe("the pause image's build context", () => {
  it("is a tar docker can read: the Dockerfile, busybox and its sh/sleep links", async () => {
    const dir = await tempDir();
    const fakeBusybox = Buffer.from("#!fake busybox\n".repeat(100));
    await writeFile(join(dir, "context.tar"), pauseBuildContext(fakeBusybox));
    await mkdir(join(dir, "out"));
    await promisify(execFile)("tar", ["-xf", join(dir, "context.tar"), "-C", join(dir, "out")]);
    const dockerfile = await readFile(join(dir, "out/Dockerfile"), "utf8");
    expect(dockerfile).toMatch(/^FROM scratch\n/);
    expect(dockerfile).toContain(`ENTRYPOINT ${JSON.stringify(PAUSE_COMMAND)}`);
    expect(await readFile(join(dir, "out/bin/busybox"))).toEqual(fakeBusybox);
    expect((await stat(join(dir, "out/bin/busybox"))).mode & 0o777).toBe(0o755);
    expect(await readlink(join(dir, "out/bin/sh"))).toBe("busybox");
    expect(await readlink(join(dir, "out/bin/sleep"))).toBe("busybox");
  });

  it("pads entries to 512-byte blocks and ends with two zero blocks", () => {
    const tar = tarArchive([{ type: "file", path: "a", content: Buffer.from("x"), mode: 0o644 }]);
    expect(tar.length).toBe(512 + 512 + 1024);
    expect(tar.subarray(257, 262).toString()).toBe("ustar");
  });
});

describe("Docker options of an awsvpc task's containers", () => {
  const base = { name: "n", image: "i", labels: {}, ...CONTAINER_SPEC_DEFAULTS };
  it("joins the pause container's namespace: no ports published or exposed; the cgroup parent set", () => {
    const options = toDockerCreateOptions({
      ...base,
      memoryMiB: 0,
      network: { mode: "container", container: "flotilla-t.pause" },
      portBindings: [{ containerPort: 80, hostPort: 0, protocol: "tcp", hostIp: "127.0.0.1" }],
      cgroupParent: "/flotilla/t",
    });
    expect(options.HostConfig?.NetworkMode).toBe("container:flotilla-t.pause");
    expect(options.HostConfig?.PortBindings).toBeUndefined();
    expect(options.ExposedPorts).toBeUndefined();
    expect(options.HostConfig?.CgroupParent).toBe("/flotilla/t");
    expect(options.HostConfig?.Memory).toBe(0);
  });
});

describe("pool agents", () => {
  const info: RuntimeInfo = {
    runtime: "docker",
    version: "20.10",
    cpus: 2,
    memoryMiB: 4096,
    os: "linux",
    architecture: "x86_64",
  };

  it("FLOTILLA_AGENT_POOL registers into the pool's reserved cluster", () => {
    const config = loadAgentConfig({ FLOTILLA_AGENT_POOL: "FARGATE", FLOTILLA_AGENT_ID: "i-p1" });
    expect(config.FLOTILLA_CLUSTER).toBe("flotilla.pool.FARGATE");
    const request = registerRequest(info, agentSettingsFromConfig(config));
    expect(request.cluster).toBe("flotilla.pool.FARGATE");
    expect(loadAgentConfig({ FLOTILLA_AGENT_POOL: "FARGATE_SPOT" }).FLOTILLA_CLUSTER).toBe(
      "flotilla.pool.FARGATE_SPOT",
    );
    expect(loadAgentConfig({}).FLOTILLA_CLUSTER).toBe("default");
    expect(loadAgentConfig({ FLOTILLA_CLUSTER: "prod" }).FLOTILLA_CLUSTER).toBe("prod");
  });

  it("refuses FLOTILLA_CLUSTER with a pool, and an unknown pool, naming the variable", () => {
    expect(() =>
      loadAgentConfig({ FLOTILLA_AGENT_POOL: "FARGATE", FLOTILLA_CLUSTER: "prod" }),
    ).toThrow(
      /FLOTILLA_AGENT_POOL: a pool agent registers into the pool's own cluster \(flotilla\.pool\.FARGATE\); unset FLOTILLA_CLUSTER/,
    );
    expect(() => loadAgentConfig({ FLOTILLA_AGENT_POOL: "EC2" })).toThrow(/FLOTILLA_AGENT_POOL/);
  });

  it("FLOTILLA_AGENT_AUTOSCALING_GROUP registers the group attribute, over a custom one", () => {
    const config = loadAgentConfig({
      FLOTILLA_AGENT_AUTOSCALING_GROUP: "web-asg",
      FLOTILLA_AGENT_ATTRIBUTES: `stack=blue,${AUTOSCALING_GROUP_ATTRIBUTE}=other`,
    });
    const request = registerRequest(info, agentSettingsFromConfig(config));
    const groups = request.attributes.filter((a) => a.name === AUTOSCALING_GROUP_ATTRIBUTE);
    expect(groups).toEqual([{ name: AUTOSCALING_GROUP_ATTRIBUTE, value: "web-asg" }]);
    expect(request.attributes).toContainEqual({ name: "stack", value: "blue" });
  });

  it("the hollow fleet takes the same pool and group options", () => {
    const settings = agentSettingsFromConfig(loadAgentConfig({ FLOTILLA_CLUSTER: "x" }));
    const pooled = fleetSettings(settings, { pool: "FARGATE_SPOT", autoScalingGroup: "g" });
    expect(pooled.cluster).toBe("flotilla.pool.FARGATE_SPOT");
    expect(pooled.attributes).toContainEqual({ name: AUTOSCALING_GROUP_ATTRIBUTE, value: "g" });
    expect(fleetSettings(settings, {}).cluster).toBe("x");
  });

  it("config carries the pause image and busybox defaults", () => {
    const config = loadAgentConfig({});
    expect(config.FLOTILLA_PAUSE_IMAGE).toBe("flotilla/pause:1");
    expect(config.FLOTILLA_PAUSE_BINARY).toBe("/bin/busybox");
    expect(agentSettingsFromConfig(config).pauseImage).toBe("flotilla/pause:1");
  });
});

describe("the hollow runtime's awsvpc tasks", () => {
  it("a pause container has the address; containers joining it have none and publish nothing", async () => {
    const runtime = new HollowRuntime({ cpus: 2, memoryMiB: 1024, images: "any" });
    try {
      await runtime.createNetwork("task-net", {});
      await runtime.ensurePauseImage("flotilla/pause:1");
      await runtime.ensureImage(HOLLOW_IMAGE);
      const pause = await runtime.createContainer(
        hollowSpec(undefined, {
          name: "p.pause",
          image: "flotilla/pause:1",
          network: { mode: "network", network: "task-net", aliases: ["web"] },
          portBindings: [tcp(80, 0)],
        }),
      );
      const web = await runtime.createContainer(
        hollowSpec(["httpd", "-f"], { network: { mode: "container", container: "p.pause" } }),
      );
      // Joining a namespace whose owner does not run fails, as Docker's start does.
      await expect(runtime.startContainer(web)).rejects.toThrow(/non running container/);
      await runtime.startContainer(pause);
      const late = await runtime.createContainer(
        hollowSpec(["httpd", "-f"], { network: { mode: "container", container: "p.pause" } }),
      );
      await runtime.startContainer(late);
      const p = await runtime.inspect(pause);
      const w = await runtime.inspect(late);
      expect(p?.ipAddress).toMatch(/^10\.\d+\.\d+\.2$/);
      expect(p?.macAddress).toMatch(/^02:42:0a(:[0-9a-f]{2}){3}$/);
      expect(p?.ports).toHaveLength(1);
      expect(w).toMatchObject({ status: "running", ports: [] });
      expect(w?.ipAddress).toBeUndefined();
    } finally {
      runtime.dispose();
    }
  });
});
