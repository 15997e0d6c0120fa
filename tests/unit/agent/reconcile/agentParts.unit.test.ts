import { describe, expect, it } from "vitest";
import { silentLogger } from "../../../../shared/log/index.js";
import {
  agentIdFromHostname,
  loadAgentConfig,
  parseAttributeList,
} from "../../../../services/agent/config.js";
import { registeredCapacity } from "../../../../services/agent/registration/registerRequest.js";
import { ReportQueue } from "../../../../services/agent/reporting/reportQueue.js";
import { ManualClock } from "../../../../services/agent/runtime/hollowClock.js";
import { cpuUnitsUsed } from "../../../../services/agent/stats/cpuUnitsUsed.js";
import { dependenciesOf, dependentsOf } from "../../../../services/agent/tasks/dependencies.js";
import { container } from "./fixtures.js";

describe("agent config", () => {
  it("resolves defaults: id from the host name, zone from the region, cluster default", () => {
    const c = loadAgentConfig({ FLOTILLA_REGION: "eu-west-1" });
    expect(c.FLOTILLA_AGENT_ID).toMatch(/^i-[0-9a-f]{17}$/);
    expect(c.FLOTILLA_AVAILABILITY_ZONE).toBe("eu-west-1a");
    expect(c).toMatchObject({
      FLOTILLA_CLUSTER: "default",
      FLOTILLA_INSTANCE_TYPE: "flotilla.local",
      FLOTILLA_AGENT_RUNTIME: "docker",
      FLOTILLA_AGENT_BIND_ADDRESS: "127.0.0.1",
      FLOTILLA_AGENT_ALLOW_PRIVILEGED: false,
      FLOTILLA_AGENT_RESERVED_MEMORY_MIB: 256,
      FLOTILLA_AGENT_RESERVED_CPU: 0,
      HEARTBEAT_INTERVAL_MS: 5_000,
      RECONCILE_INTERVAL_MS: 10_000,
      STATS_INTERVAL_MS: 10_000,
      CONTAINER_CLEANUP_DELAY_MS: 3_600_000,
    });
  });

  it("parses attributes and flags, and refuses typos", () => {
    const c = loadAgentConfig({
      FLOTILLA_AGENT_ATTRIBUTES: "stack=blue, gpu ,rack=r1",
      FLOTILLA_AGENT_ALLOW_PRIVILEGED: "true",
      FLOTILLA_AGENT_ID: "i-custom",
    });
    expect(c.FLOTILLA_AGENT_ATTRIBUTES).toEqual([
      { name: "stack", value: "blue" },
      { name: "gpu" },
      { name: "rack", value: "r1" },
    ]);
    expect(c.FLOTILLA_AGENT_ALLOW_PRIVILEGED).toBe(true);
    expect(c.FLOTILLA_AGENT_ID).toBe("i-custom");
    expect(() => loadAgentConfig({ FLOTILLA_AGENT_ALLOW_PRIVILEGED: "ture" })).toThrow(
      /FLOTILLA_AGENT_ALLOW_PRIVILEGED/,
    );
    expect(() => loadAgentConfig({ FLOTILLA_AGENT_RUNTIME: "podman" })).toThrow(
      /FLOTILLA_AGENT_RUNTIME/,
    );
  });

  it("derives a stable EC2-style id per host name", () => {
    expect(agentIdFromHostname("a")).toBe(agentIdFromHostname("a"));
    expect(agentIdFromHostname("a")).not.toBe(agentIdFromHostname("b"));
    expect(parseAttributeList("")).toEqual([]);
  });
});

describe("registeredCapacity", () => {
  it("is 1024 units per core and the host's MiB, less the reservations", () => {
    expect(
      registeredCapacity(
        { cpus: 4, memoryMiB: 8000 },
        { reservedCpu: 128, reservedMemoryMiB: 256 },
      ),
    ).toEqual({ cpu: 4096 - 128, memory: 8000 - 256 });
  });

  it("uses configured overrides instead of the host's figures", () => {
    expect(
      registeredCapacity(
        { cpus: 4, memoryMiB: 8000 },
        { cpu: 1024, memoryMiB: 2048, reservedCpu: 0, reservedMemoryMiB: 256 },
      ),
    ).toEqual({ cpu: 1024, memory: 1792 });
  });
});

describe("cpuUnitsUsed", () => {
  const sample = (cpu: number, system: number) => ({
    cpuNanos: cpu,
    systemCpuNanos: system,
    onlineCpus: 2,
    memoryBytes: 0,
    memoryLimitBytes: 0,
    at: new Date(0),
  });
  it("is the container's share of host CPU time × online CPUs × 1024", () => {
    // One of two cores busy: half the host's CPU time.
    expect(cpuUnitsUsed(sample(0, 0), sample(1e9, 2e9))).toBe(1024);
    expect(cpuUnitsUsed(sample(0, 0), sample(0.25e9, 2e9))).toBe(256);
  });
  it("is 0 when the host counter did not move", () => {
    expect(cpuUnitsUsed(sample(5, 10), sample(6, 10))).toBe(0);
  });
});

describe("dependencies", () => {
  it("counts dependsOn, links and volumesFrom, within the task", () => {
    const all = [
      container("web", {
        dependsOn: [{ containerName: "db", condition: "HEALTHY" }],
        links: ["cache:c", "elsewhere"],
        volumesFrom: [{ sourceContainer: "data" }],
      }),
      container("db"),
      container("cache"),
      container("data"),
    ];
    expect(dependenciesOf(all[0] ?? container("x"), all)).toEqual([
      { container: "db", condition: "HEALTHY" },
      { container: "cache", condition: "START" },
      { container: "data", condition: "START" },
    ]);
    expect(dependentsOf("cache", all)).toEqual(["web"]);
  });
});

describe("ReportQueue", () => {
  it("retries with backoff until acknowledged, in order, losing nothing", async () => {
    const clock = new ManualClock();
    const sent: string[] = [];
    let failures = 3;
    const queue = new ReportQueue(
      (r) => {
        if (failures-- > 0) return Promise.reject(new Error("no responders"));
        sent.push(`${r.taskArn}:${r.lastStatus}`);
        return Promise.resolve();
      },
      clock,
      silentLogger,
    );
    const report = (taskArn: string, lastStatus: "PENDING" | "RUNNING") => ({
      taskArn,
      lastStatus,
      containers: [],
      at: 0,
    });
    queue.push(report("a", "PENDING"));
    queue.push(report("a", "RUNNING"));
    queue.push(report("b", "PENDING"));
    const drained = queue.whenDrained();
    await clock.advance(60_000);
    await drained;
    expect(sent).toEqual(["a:PENDING", "a:RUNNING", "b:PENDING"]);
    expect(queue.length).toBe(0);
  });
});
