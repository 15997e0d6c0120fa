import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { isValidEcsMetricsPeriod } from "../../../../services/autoscaler/ecsMetrics/ecsMetricsPeriod.js";
import {
  addRound,
  closePeriods,
  EMPTY_ACCUMULATOR,
} from "../../../../services/autoscaler/ecsMetrics/periodAccumulator.js";
import {
  serviceOfGroup,
  type TaskIndex,
} from "../../../../services/autoscaler/ecsMetrics/taskIndex.js";
import { recordStatsReport } from "../../../../services/autoscaler/ecsMetrics/taskSamples.js";
import {
  utilization,
  utilizationRound,
} from "../../../../services/autoscaler/ecsMetrics/utilizationRound.js";
import type { StatsReport } from "../../../../shared/agent/protocol.js";

const T0 = Date.UTC(2026, 0, 1, 12, 0, 0);

const report = (
  tasks: { arn: string; cpu: number; cpuRes?: number; mem: number; memRes?: number }[],
): StatsReport => ({
  containerInstanceArn: "ci-1",
  clusterName: "c",
  at: T0 / 1000,
  tasks: tasks.map((t) => ({
    taskArn: t.arn,
    containers: [
      {
        name: "app",
        cpuUnitsUsed: t.cpu,
        cpuUnitsReserved: t.cpuRes ?? 0,
        memoryMiBUsed: t.mem,
        memoryMiBReserved: t.memRes ?? 0,
      },
    ],
  })),
});

const index = (
  tasks: { arn: string; service?: string; cpu: number; mem: number; instance?: string }[],
  instances: { arn: string; cpu: number; mem: number }[] = [],
): TaskIndex => ({
  tasks: new Map(
    tasks.map((t) => [
      t.arn,
      {
        taskArn: t.arn,
        clusterName: "c",
        containerInstanceArn: t.instance ?? "ci-1",
        serviceName: t.service,
        cpuReserved: t.cpu,
        memoryReserved: t.mem,
      },
    ]),
  ),
  services: [{ clusterName: "c", serviceName: "web" }],
  instances: instances.map((i) => ({
    containerInstanceArn: i.arn,
    clusterName: "c",
    cpuRegistered: i.cpu,
    memoryRegistered: i.mem,
  })),
});

describe("ECS utilisation of one round", () => {
  it("is Σused ÷ Σreserved × 100 over the service's RUNNING tasks, per-task min and max", () => {
    const idx = index(
      [
        { arn: "a", service: "web", cpu: 256, mem: 512 },
        { arn: "b", service: "web", cpu: 768, mem: 512 },
        { arn: "x", service: "other", cpu: 1024, mem: 1024 },
      ],
      [{ arn: "ci-1", cpu: 4096, mem: 8192 }],
    );
    const samples = recordStatsReport(
      new Map(),
      report([
        { arn: "a", cpu: 256, mem: 128 },
        { arn: "b", cpu: 0, mem: 384 },
        { arn: "x", cpu: 512, mem: 512 },
        { arn: "stopped-or-unknown", cpu: 4000, mem: 4000 },
      ]),
      T0,
      "i-1",
    );
    const round = utilizationRound(idx, samples, T0 + 1, 20_000);
    const web = round.find((r) => r.key.serviceName === "web")!;
    expect(web.cpu).toEqual({ value: 25, min: 0, max: 100 });
    expect(web.memory).toEqual({ value: 50, min: 25, max: 75 });
    expect(web.runningTasks).toBe(2);
    const cluster = round.find((r) => r.key.serviceName === undefined)!;
    // ECS's cluster metric: used by all RUNNING tasks ÷ registered by the instances.
    expect(cluster.cpu?.value).toBe((768 / 4096) * 100);
    expect(cluster.memory?.value).toBe((1024 / 8192) * 100);
  });

  it("falls back to the containers' reservations, and leaves out what reserves nothing", () => {
    const idx = index([
      { arn: "a", service: "web", cpu: 0, mem: 0 },
      { arn: "b", service: "web", cpu: 0, mem: 0 },
    ]);
    const samples = recordStatsReport(
      new Map(),
      report([
        { arn: "a", cpu: 100, cpuRes: 200, mem: 10, memRes: 100 },
        { arn: "b", cpu: 900, cpuRes: 0, mem: 10, memRes: 0 },
      ]),
      T0,
      "i-1",
    );
    const web = utilizationRound(idx, samples, T0, 20_000).find((r) => r.key.serviceName)!;
    expect(web.cpu?.value).toBe(50);
    expect(web.memory?.value).toBe(10);
  });

  it("gives no datapoint, not NaN, when nothing is reserved, and counts a silent service's tasks", () => {
    const idx = index([{ arn: "a", service: "web", cpu: 0, mem: 0 }]);
    const samples = recordStatsReport(new Map(), report([{ arn: "a", cpu: 5, mem: 5 }]), T0, "i-1");
    const web = utilizationRound(idx, samples, T0, 20_000).find((r) => r.key.serviceName)!;
    expect(web).toMatchObject({ cpu: undefined, memory: undefined, runningTasks: 1 });
    const stale = utilizationRound(idx, samples, T0 + 20_000, 20_000).find(
      (r) => r.key.serviceName,
    )!;
    expect(stale).toMatchObject({ cpu: undefined, runningTasks: 1 });
  });

  it("counts a task's usage only from its own instance's agent", () => {
    const base = index(
      [{ arn: "a", service: "web", cpu: 100, mem: 100 }],
      [{ arn: "ci-1", cpu: 1024, mem: 1024 }],
    );
    const idx: TaskIndex = {
      ...base,
      instances: base.instances.map((i) => ({ ...i, agentId: "i-1" })),
    };
    const usage = (agent: string, claimed = report([{ arn: "a", cpu: 50, mem: 50 }])) =>
      utilizationRound(idx, recordStatsReport(new Map(), claimed, T0, agent), T0, 20_000).find(
        (r) => r.key.serviceName,
      )!.cpu?.value;
    expect(usage("i-1")).toBe(50);
    // Another agent, on its own subject, reporting this instance's task: ignored.
    expect(usage("i-2")).toBeUndefined();
    // The right agent claiming the task ran on another instance: ignored as well.
    expect(
      usage("i-1", { ...report([{ arn: "a", cpu: 50, mem: 50 }]), containerInstanceArn: "ci-9" }),
    ).toBeUndefined();
  });

  it("leaves a managed pool's instances out of the cluster metrics; its tasks count for their service", () => {
    const base = index(
      [{ arn: "a", service: "web", cpu: 256, mem: 512, instance: "pool-1" }],
      [{ arn: "pool-1", cpu: 4096, mem: 8192 }],
    );
    const idx: TaskIndex = {
      ...base,
      instances: base.instances.map((i) => ({
        ...i,
        clusterName: "flotilla.pool.FARGATE",
        agentId: "i-pool",
      })),
    };
    const samples = recordStatsReport(
      new Map(),
      { ...report([{ arn: "a", cpu: 128, mem: 256 }]), containerInstanceArn: "pool-1" },
      T0,
      "i-pool",
    );
    const rounds = utilizationRound(idx, samples, T0, 20_000);
    expect(rounds.map((r) => r.key)).toEqual([{ clusterName: "c", serviceName: "web" }]);
    expect(rounds[0]!.cpu?.value).toBe(50);
    expect(rounds[0]!.memory?.value).toBe(50);
  });

  it("never yields NaN or Infinity, and the value lies between the tasks' min and max", () => {
    const part = fc.record({
      used: fc.oneof(fc.double({ min: 0, max: 1e6, noNaN: true }), fc.constant(0)),
      reserved: fc.oneof(fc.integer({ min: 0, max: 16384 }), fc.constant(0)),
    });
    fc.assert(
      fc.property(fc.array(part, { maxLength: 20 }), (parts) => {
        const u = utilization(parts);
        const reserving = parts.filter((p) => p.reserved > 0);
        if (reserving.length === 0) return u === undefined;
        const used = reserving.reduce((s, p) => s + p.used, 0);
        const reserved = reserving.reduce((s, p) => s + p.reserved, 0);
        expect(Number.isFinite(u!.value)).toBe(true);
        expect(u!.value).toBeCloseTo((used / reserved) * 100, 6);
        expect(u!.min).toBeLessThanOrEqual(u!.value * (1 + 1e-9) + 1e-9);
        expect(u!.max).toBeGreaterThanOrEqual(u!.value * (1 - 1e-9) - 1e-9);
        return true;
      }),
    );
  });

  it("ignores an agent's NaN or negative figures", () => {
    const idx = index([{ arn: "a", service: "web", cpu: 100, mem: 100 }]);
    const samples = recordStatsReport(
      new Map(),
      report([{ arn: "a", cpu: Number.NaN, mem: -5 }]),
      T0,
      "i-1",
    );
    const web = utilizationRound(idx, samples, T0, 20_000).find((r) => r.key.serviceName)!;
    expect(web.cpu?.value).toBe(0);
    expect(web.memory?.value).toBe(0);
  });
});

describe("ECS metrics periods", () => {
  it("allows 10, 30 and multiples of 60 only", () => {
    expect([10, 30, 60, 120, 300].every(isValidEcsMetricsPeriod)).toBe(true);
    expect([0, 5, 20, 45, 90, 61, 10.5].some(isValidEcsMetricsPeriod)).toBe(false);
  });

  it("reads the service from the task group", () => {
    expect(serviceOfGroup("service:web")).toBe("web");
    expect(serviceOfGroup("family:web")).toBeUndefined();
  });

  it("closes each aligned period once, stamped with its start, SampleCount = rounds", () => {
    const period = fc.constantFrom(10, 30, 60, 120);
    fc.assert(
      fc.property(
        period,
        fc.array(fc.double({ min: 0, max: 400, noNaN: true }), { minLength: 1, maxLength: 40 }),
        fc.integer({ min: 0, max: 10_000 }),
        (periodSeconds, values, offsetRounds) => {
          const roundMs = 10_000;
          const periodMs = periodSeconds * 1000;
          let acc = EMPTY_ACCUMULATOR;
          const stamps: number[] = [];
          const emitted: { ts: number; n: number; sum: number; min: number; max: number }[] = [];
          values.forEach((v, i) => {
            const end = T0 + (offsetRounds + i + 1) * roundMs;
            acc = addRound(acc, end, roundMs, periodMs, [
              {
                key: { clusterName: "c", serviceName: "web" },
                cpu: { value: v, min: v, max: v },
                memory: undefined,
                runningTasks: 1,
              },
            ]);
            stamps.push(Math.floor((end - roundMs) / periodMs) * periodMs);
            const closed = closePeriods(acc, end, periodMs);
            acc = closed.acc;
            for (const d of closed.datums.filter((x) => x.metricName === "CPUUtilization")) {
              const s = d.statisticValues;
              emitted.push({ ts: d.timestamp.getTime(), n: s.sampleCount, ...s });
              expect(d.storageResolution).toBe(periodSeconds < 60 ? 1 : 60);
              expect(d.unit).toBe("Percent");
            }
          });
          // every emitted period is aligned, ended, emitted once, and holds its rounds
          const seen = new Set<number>();
          for (const e of emitted) {
            expect(e.ts % periodMs).toBe(0);
            expect(seen.has(e.ts)).toBe(false);
            seen.add(e.ts);
            const rounds = values.filter((_, i) => stamps[i] === e.ts);
            expect(e.n).toBe(rounds.length);
            expect(e.sum).toBeCloseTo(
              rounds.reduce((a, b) => a + b, 0),
              6,
            );
            expect(e.min).toBe(Math.min(...rounds));
            expect(e.max).toBe(Math.max(...rounds));
          }
          // whatever is still open has not ended yet
          for (const start of acc.keys()) {
            expect(start + periodMs).toBeGreaterThan(T0 + (offsetRounds + values.length) * roundMs);
          }
        },
      ),
    );
  });

  it("publishes the service and cluster dimension sets and RunningTaskCount", () => {
    let acc = addRound(EMPTY_ACCUMULATOR, T0 + 10_000, 10_000, 10_000, [
      {
        key: { clusterName: "c", serviceName: "web" },
        cpu: { value: 40, min: 30, max: 50 },
        memory: { value: 20, min: 20, max: 20 },
        runningTasks: 2,
      },
      {
        key: { clusterName: "c", serviceName: undefined },
        cpu: { value: 10, min: 10, max: 10 },
        memory: undefined,
        runningTasks: undefined,
      },
    ]);
    const closed = closePeriods(acc, T0 + 10_000, 10_000);
    acc = closed.acc;
    expect(acc.size).toBe(0);
    expect(
      closed.datums.map((d) => [
        d.namespace,
        d.metricName,
        d.dimensions.map((x) => `${x.name}=${x.value}`).join(","),
        d.statisticValues.sum,
      ]),
    ).toEqual([
      ["AWS/ECS", "CPUUtilization", "ClusterName=c,ServiceName=web", 40],
      ["AWS/ECS", "MemoryUtilization", "ClusterName=c,ServiceName=web", 20],
      ["ECS/ContainerInsights", "RunningTaskCount", "ClusterName=c,ServiceName=web", 2],
      ["AWS/ECS", "CPUUtilization", "ClusterName=c", 10],
    ]);
  });
});
