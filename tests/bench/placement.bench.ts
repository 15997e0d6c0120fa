import type { Capacity } from "../../shared/domain/resources.js";
import {
  DEFAULT_SERVICE_STRATEGIES,
  place,
  seededRng,
  type CandidateTask,
  type PlacementCandidate,
  type PlacementRequest,
} from "../../services/scheduler/placement/index.js";
import { percentile } from "./percentile.js";
import type { BenchContext, BenchResult, BenchSuite } from "./suite.js";

const ZONES = ["us-east-1a", "us-east-1b", "us-east-1c"];
const TYPES = [
  { type: "t3.large", cpu: 2048, memory: 8192 },
  { type: "m5.xlarge", cpu: 4096, memory: 16384 },
  { type: "c5.2xlarge", cpu: 8192, memory: 16384 },
];
const GROUPS = 40;
const TASKS_PER_INSTANCE = 8;
const RESERVED = [22, 2375, 2376, 51678, 51679];
const TD = "arn:aws:ecs:us-east-1:000000000000:task-definition/bench:1";

const cap = (cpu: number, memory: number, tcpPorts: number[] = []): Capacity => ({
  cpu,
  memory,
  tcpPorts,
  udpPorts: [],
});

/**
 * A cluster of `n` instances over three zones and three instance types, each
 * already running 8 tasks of 40 service groups (some binding host port 80);
 * 1 % DRAINING and 1 % with the agent disconnected. Deterministic.
 */
export const benchCluster = (n: number): PlacementCandidate[] => {
  const rng = seededRng(`cluster-${n}`);
  const hex = (k: number) => k.toString(16).padStart(12, "0");
  return Array.from({ length: n }, (_, k): PlacementCandidate => {
    const t = TYPES[k % TYPES.length]!;
    const tasks: CandidateTask[] = [];
    let cpu = t.cpu;
    let memory = t.memory;
    const ports = [...RESERVED];
    for (let j = 0; j < TASKS_PER_INSTANCE; j++) {
      const g = Math.floor(rng() * GROUPS);
      const web = g % 10 === 0 && !ports.includes(80);
      const reserved = cap(128, 256 + 128 * (g % 4), web ? [80] : []);
      if (web) ports.push(80);
      cpu -= reserved.cpu;
      memory -= reserved.memory;
      tasks.push({
        taskArn: `arn:aws:ecs:us-east-1:000000000000:task/bench/${hex(k)}${j}`,
        group: `service:svc-${g}`,
        taskDefinitionArn: TD,
        reserved,
      });
    }
    return {
      containerInstanceArn: `arn:aws:ecs:us-east-1:000000000000:container-instance/bench/${hex(
        Math.floor(rng() * 2 ** 40),
      )}${hex(k)}`,
      ec2InstanceId: `i-${hex(k)}`,
      status: k % 100 === 7 ? "DRAINING" : "ACTIVE",
      agentConnected: k % 100 !== 13,
      attributes: {
        "ecs.availability-zone": ZONES[k % ZONES.length],
        "ecs.instance-type": t.type,
        "ecs.os-type": "linux",
        stack: k % 5 === 0 ? "prod" : "dev",
      },
      registered: cap(t.cpu, t.memory, RESERVED),
      remaining: cap(cpu, memory, ports),
      runningTasksCount: tasks.length,
      tasks,
    };
  });
};

/**
 * The request mix, cycled: the service scheduler placing a new service's (or
 * a scale-out's) tasks in one call, as planReplica does, and RunTask.
 */
const MIX: readonly Omit<PlacementRequest, "seed">[] = [
  // a service of 500 tasks (the scheduler's most per step) with the default AZ-balanced spread
  {
    need: cap(256, 512),
    group: "service:svc-1",
    count: 500,
    strategies: DEFAULT_SERVICE_STRATEGIES,
    constraints: [],
  },
  // spread by zone then binpack by memory, one task per instance
  {
    need: cap(256, 1024),
    group: "service:svc-2",
    count: 100,
    strategies: [
      { type: "spread", field: "attribute:ecs.availability-zone" },
      { type: "binpack", field: "memory" },
    ],
    constraints: [{ type: "distinctInstance" }],
  },
  // binpack by memory on one instance family
  {
    need: cap(512, 2048),
    group: "service:svc-3",
    count: 200,
    strategies: [{ type: "binpack", field: "memory" }],
    constraints: [{ type: "memberOf", expression: "attribute:ecs.instance-type =~ m5.*" }],
  },
  // random over two zones of the prod stack, binding host port 8080
  {
    need: cap(128, 256, [8080]),
    group: "service:svc-4",
    count: 50,
    strategies: [{ type: "random" }],
    constraints: [
      {
        type: "memberOf",
        expression:
          "attribute:ecs.availability-zone in [us-east-1a, us-east-1b] and attribute:stack == prod",
      },
    ],
  },
  // RunTask of one task with RunTask's default strategies
  {
    need: cap(128, 256),
    group: "family:bench",
    count: 1,
    strategies: [{ type: "spread", field: "instanceId" }, { type: "random" }],
    constraints: [],
  },
  // RunTask of ten, spread over zones, off the smallest instance type
  {
    need: cap(256, 512),
    group: "family:batch",
    count: 10,
    strategies: [{ type: "spread", field: "attribute:ecs.availability-zone" }],
    constraints: [{ type: "memberOf", expression: "attribute:ecs.instance-type != t3.large" }],
  },
];

const round = (x: number, digits = 1) => Math.round(x * 10 ** digits) / 10 ** digits;

/** Runs `requests` requests of the mix against one cluster; times every call. */
const measure = (cluster: readonly PlacementCandidate[], requests: number) => {
  const perDecisionUs: number[] = [];
  const singleUs: number[] = [];
  let decisions = 0;
  let placed = 0;
  let busyMs = 0;
  let wallMs = 0;
  const byKind = MIX.map(() => ({ decisions: 0, ms: 0 }));
  for (let i = 0; i < requests; i++) {
    const r = { ...MIX[i % MIX.length]!, seed: `bench-${i}` };
    const wallStarted = performance.now();
    const started = process.cpuUsage();
    const d = place(cluster, r);
    const used = process.cpuUsage(started);
    wallMs += performance.now() - wallStarted;
    const ms = (used.user + used.system) / 1000;
    busyMs += ms;
    decisions += d.placements.length + d.failures.length;
    placed += d.placements.length;
    byKind[i % MIX.length]!.decisions += r.count;
    byKind[i % MIX.length]!.ms += ms;
    perDecisionUs.push((ms * 1000) / r.count);
    if (r.count === 1) singleUs.push(ms * 1000);
  }
  return { decisions, placed, busyMs, wallMs, perDecisionUs, singleUs, byKind };
};

/**
 * The placement engine alone (services/scheduler/placement `place`), pure CPU:
 * no I/O, one thread. A decision is placing one task: one entry of a
 * request's placements or failures.
 */
export const placement: BenchSuite = {
  name: "placement",
  workload:
    "the real engine (services/scheduler/placement place) alone, one thread, on clusters of 1,000 and 5,000 instances (3 zones, 3 instance types, 8 running tasks each of 40 service groups, 1 % DRAINING, 1 % agent disconnected; in ARN order, as loadCluster reads them). Requests cycle through what the scheduler asks: services placing 500 tasks with the default spread(zone)+spread(instanceId), 100 with spread(zone)+binpack(memory)+distinctInstance, 200 with binpack(memory)+memberOf(instance-type =~ m5.*), 50 with random+memberOf(zone in [a,b] and stack == prod)+a host port; RunTask of 1 (spread(instanceId)+random) and of 10 (spread(zone)+memberOf(instance-type != t3.large)); every request against the same cluster. A decision = placing one task (one entry of the decision's placements or failures); decisions/s = decisions ÷ CPU time inside place() (the process's CPU time, GC included: on a shared machine the wall clock also counts other processes' turns; the wall-clock rate is printed beside it); per decision = a request's time ÷ its count (p99 over requests); single-task request = RunTask of 1, whole call. No baseline: the goal is absolute",
  run(ctx: BenchContext): Promise<BenchResult[]> {
    const results: BenchResult[] = [];
    // The smoke test (scale 0.001) uses small clusters; any real run the issue's sizes.
    const sizes = ctx.scale >= 0.01 ? [1000, 5000] : [20, 100];
    for (const n of sizes) {
      // As loadCluster gives them: built from Postgres rows (so flat strings, hence
      // the trip through JSON) and in ARN order (it reads them ORDER BY the ARN).
      const cluster = (JSON.parse(JSON.stringify(benchCluster(n))) as PlacementCandidate[]).sort(
        (a, b) => (a.containerInstanceArn < b.containerInstanceArn ? -1 : 1),
      );
      measure(cluster, MIX.length * Math.max(1, Math.round(10 * ctx.scale))); // warm up the JIT
      const requests = MIX.length * Math.max(2, Math.round(200 * ctx.scale));
      const m = measure(cluster, requests);
      const rate = Math.round((m.decisions / m.busyMs) * 1000);
      console.log(
        `  ${n} instances: ${m.decisions} decisions (${m.placed} placed) in ${round(m.busyMs)} ms of CPU: ${rate}/s (by the wall clock ${round(m.wallMs)} ms: ${Math.round((m.decisions / m.wallMs) * 1000)}/s)`,
      );
      console.log(
        `    by request (count: decisions/s): ${m.byKind
          .map((k, i) => `${MIX[i]!.count}: ${Math.round((k.decisions / k.ms) * 1000)}`)
          .join(", ")}`,
      );
      results.push(
        {
          suite: "placement",
          metric: `decisions/s at ${n} instances`,
          value: rate,
          unit: "decisions/s",
        },
        {
          suite: "placement",
          metric: `decisions/s at ${n} instances, in the 500-task service steps alone`,
          value: Math.round((m.byKind[0]!.decisions / m.byKind[0]!.ms) * 1000),
          unit: "decisions/s",
        },
        {
          suite: "placement",
          metric: `p99 per decision at ${n} instances (µs)`,
          value: round(percentile(m.perDecisionUs, 99)),
          unit: "µs",
        },
        {
          suite: "placement",
          metric: `p99 single-task request at ${n} instances (µs)`,
          value: round(percentile(m.singleUs, 99)),
          unit: "µs",
        },
      );
    }
    return Promise.resolve(results);
  },
};
