import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  ContainerStartError,
  ImagePullError,
  type ContainerSpec,
  type RuntimeEvent,
} from "../../../../services/agent/runtime/containerRuntime.js";
import { ManualClock, seededRandom } from "../../../../services/agent/runtime/hollowClock.js";
import {
  HollowRuntime,
  type HollowRuntimeOptions,
} from "../../../../services/agent/runtime/hollowRuntime.js";
import { describeRuntimeConformance } from "../../../fixtures/runtimeConformance.js";
import { HOLLOW_IMAGE, healthCheck, hollowSpec, tcp } from "./hollowSpec.js";

const SERVICE = ["sh", "-c", 'trap "exit 0" TERM; while true; do sleep 1; done'];
const HTTPD = ["httpd", "-f", "-p", "8080", "-h", "/www"];

describeRuntimeConformance(
  "hollow",
  () => {
    const runtime = new HollowRuntime({
      cpus: 2,
      memoryMiB: 4096,
      startLatencyMs: { min: 1, max: 3 },
      // A simulated second lasts 20 ms: `sleep 2` and a 1 s stop timeout stay quick.
      timeScale: 0.02,
      images: new Set([HOLLOW_IMAGE]),
    });
    return Promise.resolve({
      runtime,
      image: HOLLOW_IMAGE,
      cleanup: () => {
        // Every container is gone by now, so nothing may be left pending.
        expect(runtime.pendingTimers).toBe(0);
        expect(runtime.portsInUse).toBe(0);
        runtime.dispose();
        return Promise.resolve();
      },
    });
  },
  { trapSettleMs: 0, testTimeoutMs: 10_000 },
);

/** A hollow host on a manual clock, with the test image pulled. */
async function manualHost(options: Partial<HollowRuntimeOptions> = {}) {
  const clock = new ManualClock();
  const runtime = new HollowRuntime({ cpus: 2, memoryMiB: 1024, clock, ...options });
  await runtime.ensureImage(HOLLOW_IMAGE);
  const launch = async (spec: ContainerSpec) => {
    const id = await runtime.createContainer(spec);
    const started = runtime.startContainer(id);
    await clock.advance(0);
    await started;
    return id;
  };
  const state = async (id: string) => {
    const s = await runtime.inspect(id);
    if (!s) throw new Error(`no container ${id}`);
    return s;
  };
  return { clock, runtime, launch, state };
}

/** Collects a runtime's events until stopped. */
function record(runtime: HollowRuntime) {
  const abort = new AbortController();
  const events: RuntimeEvent[] = [];
  const done = (async () => {
    for await (const event of runtime.events(abort.signal)) events.push(event);
  })();
  return {
    events,
    actions: (id: string) => events.filter((e) => e.containerId === id).map((e) => e.action),
    stop: async () => {
      abort.abort();
      await done;
    },
  };
}

describe("HollowRuntime: lifecycle in simulated time", () => {
  it("a start takes startLatencyMs; the container is 'created' until then", async () => {
    const { clock, runtime, state } = await manualHost({ startLatencyMs: 100 });
    const id = await runtime.createContainer(hollowSpec(HTTPD));
    let started = false;
    const starting = runtime.startContainer(id).then(() => (started = true));
    await clock.advance(99);
    expect((await state(id)).status).toBe("created");
    expect(started).toBe(false);
    await clock.advance(1);
    await starting;
    expect(await state(id)).toMatchObject({ status: "running", ipAddress: "172.17.0.2" });
    expect((await state(id)).startedAt?.getTime()).toBe(clock.now());
  });

  it("sleep N exits 0 after N simulated seconds; timeScale shrinks them", async () => {
    const { clock, launch, state } = await manualHost({ timeScale: 0.5 });
    const id = await launch(hollowSpec(["sleep", "5"]));
    await clock.advance(2499);
    expect((await state(id)).status).toBe("running");
    await clock.advance(1);
    expect(await state(id)).toMatchObject({ status: "exited", exitCode: 0 });
  });

  it("stop: SIGTERM ends a plain program with 143 at once", async () => {
    const { runtime, launch, state } = await manualHost();
    const id = await launch(hollowSpec(HTTPD));
    await runtime.stopContainer(id, 30);
    expect(await state(id)).toMatchObject({ status: "exited", exitCode: 143, oomKilled: false });
  });

  it("stop: a program ignoring SIGTERM is killed (137) when the timeout runs out", async () => {
    const { clock, runtime, launch, state } = await manualHost();
    const id = await launch(hollowSpec(HTTPD, { environment: { HOLLOW_IGNORE_SIGTERM: "1" } }));
    let stopped = false;
    const stopping = runtime.stopContainer(id, 10).then(() => (stopped = true));
    await clock.advance(9_999);
    expect((await state(id)).status).toBe("running");
    expect(stopped).toBe(false);
    await clock.advance(1);
    await stopping;
    expect(await state(id)).toMatchObject({ status: "exited", exitCode: 137 });
    expect(runtime.pendingTimers).toBe(0);
  });

  it("stop: a program ignoring SIGTERM that ends before the timeout exits with its own code", async () => {
    const { clock, runtime, launch, state } = await manualHost();
    const id = await launch(hollowSpec(["sh", "-c", 'trap "" TERM; sleep 3; exit 7']));
    const stopping = runtime.stopContainer(id, 10);
    await clock.advance(3_000);
    await stopping;
    expect(await state(id)).toMatchObject({ status: "exited", exitCode: 7 });
    expect(runtime.pendingTimers).toBe(0);
  });

  it("stop while starting waits for the start, then stops", async () => {
    const { clock, runtime, state } = await manualHost({ startLatencyMs: 50 });
    const id = await runtime.createContainer(hollowSpec(SERVICE));
    const starting = runtime.startContainer(id);
    const stopping = runtime.stopContainer(id, 10);
    await clock.advance(50);
    await Promise.all([starting, stopping]);
    expect(await state(id)).toMatchObject({ status: "exited", exitCode: 0 });
  });

  it("remove while starting fails the start and leaves no timer behind", async () => {
    const { runtime } = await manualHost({ startLatencyMs: 50 });
    const id = await runtime.createContainer(hollowSpec(SERVICE));
    const starting = runtime.startContainer(id);
    await runtime.removeContainer(id);
    await expect(starting).rejects.toBeInstanceOf(ContainerStartError);
    expect(runtime.pendingTimers).toBe(0);
    expect(await runtime.inspect(id)).toBeUndefined();
  });

  it("dispose cancels what is pending: starts fail, stops settle, no timer is left", async () => {
    const { runtime, launch } = await manualHost();
    const stubborn = await launch(
      hollowSpec(HTTPD, { environment: { HOLLOW_IGNORE_SIGTERM: "1" } }),
    );
    const idle = await launch(hollowSpec(["sleep", "60"]));
    const stopping = runtime.stopContainer(stubborn, 30);
    const slow = new HollowRuntime({ cpus: 1, memoryMiB: 512, startLatencyMs: 60_000 });
    await slow.ensureImage(HOLLOW_IMAGE);
    const starting = slow.startContainer(await slow.createContainer(hollowSpec(HTTPD)));
    runtime.dispose();
    slow.dispose();
    await stopping;
    await expect(starting).rejects.toBeInstanceOf(ContainerStartError);
    expect(await runtime.inspect(stubborn)).toMatchObject({ status: "exited", exitCode: 137 });
    expect((await runtime.inspect(idle))?.status).toBe("running");
    expect(runtime.pendingTimers + slow.pendingTimers).toBe(0);
  });

  it("restartContainer counts the restart and emits die then start", async () => {
    const { clock, runtime, launch, state } = await manualHost();
    const rec = record(runtime);
    const id = await launch(hollowSpec(HTTPD));
    const first = (await state(id)).startedAt!;
    await clock.advance(1_000);
    const restarting = runtime.restartContainer(id, 10);
    await clock.advance(0);
    await restarting;
    const after = await state(id);
    expect(after).toMatchObject({ status: "running", restartCount: 1 });
    expect(after.startedAt!.getTime()).toBe(first.getTime() + 1_000);
    expect(after.exitCode).toBeUndefined();
    await clock.advance(0);
    expect(rec.actions(id)).toEqual(["start", "die", "start"]);
    await rec.stop();
  });

  it("an entryPoint runs with the command as its arguments", async () => {
    const { clock, launch, state } = await manualHost();
    const id = await launch(hollowSpec(["exit 6"], { entryPoint: ["/bin/sh", "-c"] }));
    await clock.advance(0);
    expect(await state(id)).toMatchObject({ status: "exited", exitCode: 6 });
  });
});

describe("HollowRuntime: create and images", () => {
  it("ensureImage pulls what the hollow registry has and fails with ImagePullError otherwise", async () => {
    const runtime = new HollowRuntime({ cpus: 1, memoryMiB: 512, images: new Set(["app:1"]) });
    await runtime.ensureImage("app:1");
    await expect(runtime.ensureImage("app:2")).rejects.toBeInstanceOf(ImagePullError);
    await expect(runtime.ensureImage("app")).rejects.toBeInstanceOf(ImagePullError);
  });

  it("create needs a pulled image, a free valid name and an existing network", async () => {
    const runtime = new HollowRuntime({ cpus: 1, memoryMiB: 512 });
    const create = (overrides: Partial<ContainerSpec>) =>
      runtime.createContainer(hollowSpec(HTTPD, overrides));
    await expect(create({ name: "a" + "1" })).rejects.toThrow(/No such image/);
    await runtime.ensureImage("flotilla-test/busybox");
    const id = await create({ name: "web" });
    await expect(create({ name: "web" })).rejects.toThrow(/already in use/);
    await expect(create({ name: "no spaces" })).rejects.toThrow(/Invalid container name/);
    await expect(
      create({ network: { mode: "network", network: "task-net", aliases: [] } }),
    ).rejects.toMatchObject({ name: "ContainerStartError", phase: "create" });
    expect((await runtime.inspect("web"))?.id).toBe(id);
    expect(id).toMatch(/^[0-9a-f]{64}$/);
  });

  it("ids are unique across hollow hosts", async () => {
    const ids = new Set<string>();
    for (let host = 0; host < 3; host++) {
      const runtime = new HollowRuntime({ cpus: 1, memoryMiB: 512 });
      await runtime.ensureImage(HOLLOW_IMAGE);
      for (let i = 0; i < 100; i++) ids.add(await runtime.createContainer(hollowSpec(HTTPD)));
    }
    expect(ids.size).toBe(300);
  });
});

describe("HollowRuntime: failureRate", () => {
  const outcomes = async (seed: number, failureRate: number) => {
    const { clock, runtime, state } = await manualHost({
      failureRate,
      random: seededRandom(seed),
      startLatencyMs: { min: 1, max: 20 },
    });
    const ids = await Promise.all(
      Array.from({ length: 200 }, () => runtime.createContainer(hollowSpec(HTTPD))),
    );
    const results = ids.map((id) =>
      runtime.startContainer(id).then(
        () => true,
        (error: unknown) => {
          expect(error).toBeInstanceOf(ContainerStartError);
          expect(error).toMatchObject({ phase: "start" });
          return false;
        },
      ),
    );
    await clock.advance(20);
    const started = await Promise.all(results);
    for (const [i, id] of ids.entries()) {
      const s = await state(id);
      if (started[i]) expect(s.status).toBe("running");
      else expect(s).toMatchObject({ status: "created", exitCode: 128, error: /simulated/ });
    }
    return started;
  };

  it("fails about failureRate of the starts, the same ones for the same seed", async () => {
    const a = await outcomes(42, 0.3);
    const failed = a.filter((ok) => !ok).length;
    expect(failed).toBeGreaterThan(30);
    expect(failed).toBeLessThan(90);
    expect(await outcomes(42, 0.3)).toEqual(a);
    expect(await outcomes(7, 0.3)).not.toEqual(a);
  });

  it("never fails at 0 and always fails at 1", async () => {
    expect((await outcomes(1, 0)).every(Boolean)).toBe(true);
    expect((await outcomes(1, 1)).some(Boolean)).toBe(false);
  });

  it("rejects a rate outside 0..1", () => {
    expect(() => new HollowRuntime({ cpus: 1, memoryMiB: 1, failureRate: 1.5 })).toThrow(
      RangeError,
    );
  });
});

describe("HollowRuntime: memory", () => {
  it("OOM-kills a program using more than the container's limit: 137, oomKilled, oom then die", async () => {
    const { clock, runtime, launch, state } = await manualHost();
    const rec = record(runtime);
    const id = await launch(
      hollowSpec(HTTPD, { memoryMiB: 256, environment: { HOLLOW_MEMORY_MIB: "300" } }),
    );
    await clock.advance(0);
    expect(await state(id)).toMatchObject({ status: "exited", exitCode: 137, oomKilled: true });
    await clock.advance(0);
    expect(rec.actions(id)).toEqual(["start", "oom", "die"]);
    await rec.stop();
  });

  it("without a container limit, the host's memory is the limit", async () => {
    const { clock, launch, state } = await manualHost({ memoryMiB: 512 });
    const id = await launch(hollowSpec(HTTPD, { environment: { HOLLOW_MEMORY_MIB: "1024" } }));
    await clock.advance(0);
    expect(await state(id)).toMatchObject({ exitCode: 137, oomKilled: true });
  });

  it("a program within its limit runs, and stats report its memory and the limit", async () => {
    const { clock, runtime, launch, state } = await manualHost();
    const id = await launch(
      hollowSpec(HTTPD, { memoryMiB: 256, environment: { HOLLOW_MEMORY_MIB: "100" } }),
    );
    await clock.advance(60_000);
    expect((await state(id)).status).toBe("running");
    expect(await runtime.stats(id)).toMatchObject({
      memoryBytes: 100 * 1024 * 1024,
      memoryLimitBytes: 256 * 1024 * 1024,
      onlineCpus: 2,
    });
  });

  it("stats: CPU grows with the program's busy cores; nothing once stopped", async () => {
    const { clock, runtime, launch } = await manualHost();
    const id = await launch(hollowSpec(HTTPD, { environment: { HOLLOW_CPU_CORES: "0.5" } }));
    const before = (await runtime.stats(id))!;
    await clock.advance(10_000);
    const after = (await runtime.stats(id))!;
    const cpu = after.cpuNanos - before.cpuNanos;
    const system = after.systemCpuNanos - before.systemCpuNanos;
    expect(cpu).toBe(5e9);
    expect(system).toBe(2e10);
    // What ECS reports as CPUUtilization: Δcpu / Δsystem × onlineCpus.
    expect((cpu / system) * after.onlineCpus * 100).toBe(50);
    await runtime.stopContainer(id, 1);
    expect(await runtime.stats(id)).toBeUndefined();
  });
});

describe("HollowRuntime: health checks", () => {
  const healthAt = async (
    check: ReturnType<typeof healthCheck>,
    environment: Record<string, string> = {},
  ) => {
    const { clock, runtime, launch, state } = await manualHost();
    const rec = record(runtime);
    const id = await launch(hollowSpec(HTTPD, { healthCheck: check, environment }));
    const at = async (ms: number) => {
      await clock.advance(ms - (clock.now() - (await state(id)).startedAt!.getTime()));
      return (await state(id)).health;
    };
    return { at, rec, id, runtime };
  };

  it("CMD-SHELL true: starting, then healthy after one interval", async () => {
    const { at, rec, id, runtime } = await healthAt(healthCheck(["CMD-SHELL", "true"]));
    expect(await at(0)).toBe("starting");
    expect(await at(4_999)).toBe("starting");
    expect(await at(5_000)).toBe("healthy");
    expect(await at(60_000)).toBe("healthy");
    expect(rec.actions(id)).toEqual(["start", "health_status"]);
    expect(runtime.pendingTimers).toBe(0);
    await rec.stop();
  });

  it("CMD-SHELL false: unhealthy after retries intervals", async () => {
    const { at, rec } = await healthAt(
      healthCheck(["CMD-SHELL", "false"], { intervalSeconds: 2, retries: 3 }),
    );
    expect(await at(5_999)).toBe("starting");
    expect(await at(6_000)).toBe("unhealthy");
    await rec.stop();
  });

  it("failures inside the start period do not count", async () => {
    const { at, rec } = await healthAt(
      healthCheck(["CMD-SHELL", "exit 1"], {
        intervalSeconds: 2,
        retries: 3,
        startPeriodSeconds: 5,
      }),
    );
    expect(await at(9_999)).toBe("starting");
    expect(await at(10_000)).toBe("unhealthy");
    await rec.stop();
  });

  it("a probe of the service passes unless HOLLOW_HEALTH=unhealthy; a probe past its timeout fails", async () => {
    const curl = healthCheck(["CMD", "curl", "-f", "http://localhost:8080/"]);
    expect(await (await healthAt(curl)).at(5_000)).toBe("healthy");
    expect(await (await healthAt(curl, { HOLLOW_HEALTH: "unhealthy" })).at(15_000)).toBe(
      "unhealthy",
    );
    const slow = healthCheck(["CMD-SHELL", "sleep 5"], { timeoutSeconds: 2 });
    expect(await (await healthAt(slow)).at(15_000)).toBe("unhealthy");
  });

  it("zeros take Docker's defaults; NONE means no health", async () => {
    const zeros = healthCheck(["CMD-SHELL", "false"], {
      intervalSeconds: 0,
      timeoutSeconds: 0,
      retries: 0,
    });
    const { at } = await healthAt(zeros);
    expect(await at(89_999)).toBe("starting");
    expect(await at(90_000)).toBe("unhealthy");
    expect(await (await healthAt(healthCheck(["NONE"]))).at(60_000)).toBeUndefined();
  });

  it("stopping cancels a pending health check", async () => {
    const { runtime, launch } = await manualHost();
    const id = await launch(hollowSpec(HTTPD, { healthCheck: healthCheck(["CMD-SHELL", "true"]) }));
    expect(runtime.pendingTimers).toBe(1);
    await runtime.stopContainer(id, 1);
    expect(runtime.pendingTimers).toBe(0);
  });
});

describe("HollowRuntime: ports and networks", () => {
  it("hands out dynamic ports round-robin, honours fixed ones, and says so when the pool is exhausted", async () => {
    const { clock, runtime, launch, state } = await manualHost({
      portRange: { min: 40000, max: 40003 },
    });
    const fixed = await launch(hollowSpec(HTTPD, { portBindings: [tcp(80, 40001)] }));
    const dynamic = [];
    for (let i = 0; i < 3; i++) {
      dynamic.push(await launch(hollowSpec(HTTPD, { portBindings: [tcp(8080, 0)] })));
    }
    const portOf = async (id: string) => (await state(id)).ports[0]?.hostPort;
    expect(await portOf(fixed)).toBe(40001);
    expect(await Promise.all(dynamic.map(portOf))).toEqual([40000, 40002, 40003]);

    const late = await runtime.createContainer(hollowSpec(HTTPD, { portBindings: [tcp(8080, 0)] }));
    const refused = expect(runtime.startContainer(late)).rejects.toThrow(/all ports are allocated/);
    await clock.advance(0);
    await refused;
    expect(await state(late)).toMatchObject({ status: "created", exitCode: 128, ports: [] });

    await runtime.stopContainer(dynamic[1]!, 1);
    const retry = runtime.startContainer(late);
    await clock.advance(0);
    await retry;
    expect(await portOf(late)).toBe(40002);
    expect(runtime.portsInUse).toBe(4);
  });

  it("a fixed port in use fails the start like Docker, and a partial allocation is given back", async () => {
    const { clock, runtime, launch, state } = await manualHost();
    await launch(hollowSpec(HTTPD, { portBindings: [tcp(80, 8080)] }));
    const clash = await runtime.createContainer(
      hollowSpec(HTTPD, { portBindings: [tcp(81, 9090), tcp(80, 8080)] }),
    );
    const refused = expect(runtime.startContainer(clash)).rejects.toThrow(
      /Bind for 127\.0\.0\.1:8080 failed: port is already allocated/,
    );
    await clock.advance(0);
    await refused;
    expect((await state(clash)).error).toMatch(/port is already allocated/);
    expect(runtime.portsInUse).toBe(1);
    // UDP and TCP ports are separate.
    const udp = await launch(
      hollowSpec(HTTPD, {
        portBindings: [{ containerPort: 80, hostPort: 8080, protocol: "udp", hostIp: "" }],
      }),
    );
    expect((await state(udp)).ports).toEqual([
      { containerPort: 80, hostPort: 8080, protocol: "udp", hostIp: "0.0.0.0" },
    ]);
  });

  it("host and none modes publish nothing", async () => {
    const { launch, state } = await manualHost();
    for (const mode of ["host", "none"] as const) {
      const id = await launch(hollowSpec(HTTPD, { network: { mode }, portBindings: [tcp(80, 0)] }));
      expect(await state(id)).toMatchObject({ status: "running", ports: [] });
      expect((await state(id)).ipAddress).toBeUndefined();
    }
  });

  it("networks: idempotent create and remove; a network in use cannot be removed", async () => {
    const { runtime, launch, state } = await manualHost();
    await runtime.createNetwork("task-net", { task: "t1" });
    await runtime.createNetwork("task-net", { task: "t1" });
    const network = { mode: "network", network: "task-net", aliases: ["app"] } as const;
    const a = await launch(hollowSpec(HTTPD, { network }));
    const b = await launch(hollowSpec(HTTPD, { network }));
    expect((await state(a)).ipAddress).toBe("10.0.0.2");
    expect((await state(b)).ipAddress).toBe("10.0.0.3");
    await expect(runtime.removeNetwork("task-net")).rejects.toThrow(/active endpoints/);
    await runtime.stopContainer(a, 1);
    await runtime.stopContainer(b, 1);
    await runtime.removeNetwork("task-net");
    await runtime.removeNetwork("task-net");
    await expect(runtime.startContainer(a)).rejects.toThrow(/network task-net not found/);
  });
});

describe("HollowRuntime: events", () => {
  it("subscribes when events() is called, so nothing before the first next() is lost", async () => {
    const { runtime, launch } = await manualHost();
    const abort = new AbortController();
    const stream = runtime.events(abort.signal);
    const id = await launch(hollowSpec(["sh", "-c", "exit 1"]));
    const seen: string[] = [];
    for await (const event of stream) {
      seen.push(event.action);
      if (event.action === "start") break;
    }
    expect(seen).toEqual(["start"]);
    expect(id).toBeTruthy();
  });

  it("an aborted signal ends the stream; an already aborted one yields nothing", async () => {
    const { runtime } = await manualHost();
    const abort = new AbortController();
    const iterator = runtime.events(abort.signal)[Symbol.asyncIterator]();
    const next = iterator.next();
    abort.abort();
    expect(await next).toEqual({ done: true, value: undefined });
    const none: RuntimeEvent[] = [];
    for await (const event of runtime.events(abort.signal)) none.push(event);
    expect(none).toEqual([]);
  });

  it("a removed container emits die (if running) and destroy, with its labels", async () => {
    const { runtime, launch } = await manualHost();
    const rec = record(runtime);
    const id = await launch(hollowSpec(HTTPD, { labels: { task: "t-1" } }));
    await runtime.removeContainer(id);
    await new Promise((resolve) => setImmediate(resolve));
    expect(rec.actions(id)).toEqual(["start", "die", "destroy"]);
    expect(rec.events.every((e) => e.labels.task === "t-1")).toBe(true);
    await rec.stop();
  });
});

describe("HollowRuntime: invariants under any interleaving (property)", () => {
  const programs: readonly (readonly string[])[] = [
    SERVICE,
    ["httpd", "-f"],
    ["sh", "-c", "sleep 2; exit 1"],
    ["sh", "-c", "exit 0"],
  ];
  const portSets = [[], [tcp(80, 0)], [tcp(80, 8080)], [tcp(80, 0), tcp(81, 8081)]];

  type Op =
    | { kind: "create"; program: number; ports: number; ignoreTerm: boolean }
    | { kind: "start" | "remove"; target: number }
    | { kind: "stop" | "restart"; target: number; timeout: number }
    | { kind: "advance"; ms: number };

  const target = fc.nat({ max: 1_000 });
  const op: fc.Arbitrary<Op> = fc.oneof(
    {
      weight: 3,
      arbitrary: fc.record({
        kind: fc.constant("create" as const),
        program: fc.nat(programs.length - 1),
        ports: fc.nat(portSets.length - 1),
        ignoreTerm: fc.boolean(),
      }),
    },
    { weight: 4, arbitrary: fc.record({ kind: fc.constant("start" as const), target }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant("remove" as const), target }) },
    {
      weight: 3,
      arbitrary: fc.record({
        kind: fc.constantFrom("stop" as const, "stop" as const, "restart" as const),
        target,
        timeout: fc.nat(3),
      }),
    },
    {
      weight: 2,
      arbitrary: fc.record({ kind: fc.constant("advance" as const), ms: fc.nat(3_000) }),
    },
  );

  it("keeps ids unique, ports unique among running containers, removed ones gone", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(op, { maxLength: 60, size: "max" }),
        fc.nat(),
        async (ops, seed) => {
          const clock = new ManualClock();
          const runtime = new HollowRuntime({
            cpus: 2,
            memoryMiB: 1024,
            clock,
            random: seededRandom(seed),
            startLatencyMs: { min: 0, max: 500 },
            failureRate: 0.2,
            portRange: { min: 50000, max: 50003 },
          });
          await runtime.ensureImage(HOLLOW_IMAGE);
          const created: string[] = [];
          const removed = new Set<string>();
          const unexpected: unknown[] = [];
          const inFlight: Promise<void>[] = [];
          // Start and restart may fail (ports, failureRate, removal); nothing else may.
          const track = (p: Promise<void>, mayFail: boolean) =>
            inFlight.push(
              p.catch((error: unknown) => {
                if (!(mayFail && error instanceof ContainerStartError)) unexpected.push(error);
              }),
            );

          const check = async () => {
            const all = await runtime.list({});
            const ids = all.map((c) => c.id);
            expect(new Set(ids).size).toBe(ids.length);
            for (const id of ids) expect(removed.has(id)).toBe(false);
            for (const id of removed) expect(await runtime.inspect(id)).toBeUndefined();
            const running = all.filter((c) => c.status === "running");
            const ports = running.flatMap((c) => c.ports.map((p) => `${p.protocol}/${p.hostPort}`));
            expect(new Set(ports).size).toBe(ports.length);
            expect(runtime.portsInUse).toBe(ports.length);
            for (const c of all) {
              expect(["created", "running", "exited"]).toContain(c.status);
              if (c.status !== "running") expect(c.ports).toEqual([]);
            }
          };

          for (const o of ops) {
            const target = "target" in o ? created[o.target % Math.max(1, created.length)] : "";
            switch (o.kind) {
              case "create": {
                const id = await runtime.createContainer(
                  hollowSpec(programs[o.program], {
                    portBindings: portSets[o.ports],
                    environment: o.ignoreTerm ? { HOLLOW_IGNORE_SIGTERM: "1" } : {},
                  }),
                );
                expect(created).not.toContain(id);
                created.push(id);
                break;
              }
              case "start":
                if (target) track(runtime.startContainer(target), true);
                break;
              case "stop":
                if (target) track(runtime.stopContainer(target, o.timeout), false);
                break;
              case "restart":
                if (target && !removed.has(target)) {
                  track(runtime.restartContainer(target, o.timeout), true);
                }
                break;
              case "remove":
                if (target) {
                  removed.add(target);
                  track(runtime.removeContainer(target), false);
                }
                break;
              case "advance":
                await clock.advance(o.ms);
                break;
            }
            await check();
          }
          // Let everything pending happen; every operation then settles.
          await clock.runAll();
          await Promise.all(inFlight);
          expect(unexpected).toEqual([]);
          await check();
          expect(runtime.pendingTimers).toBe(clock.pending);
          for (const id of created) await runtime.removeContainer(id);
          expect(await runtime.list({})).toEqual([]);
          expect(runtime.pendingTimers).toBe(0);
          expect(clock.pending).toBe(0);
          expect(runtime.portsInUse).toBe(0);
        },
      ),
      { numRuns: 150 },
    );
  }, 60_000);
});

describe("HollowRuntime: scale", () => {
  it("5,000 containers across 200 hollow hosts start and stop, leaving no timer behind", async () => {
    const hosts = Array.from(
      { length: 200 },
      (_, i) =>
        new HollowRuntime({
          cpus: 4,
          memoryMiB: 16384,
          startLatencyMs: { min: 0, max: 5 },
          random: seededRandom(i),
        }),
    );
    const commands = [HTTPD, SERVICE, ["sleep", "3600"], undefined];
    const ids = await Promise.all(
      hosts.map(async (host, h) => {
        await host.ensureImage(HOLLOW_IMAGE);
        const mine: string[] = [];
        for (let i = 0; i < 25; i++) {
          mine.push(
            await host.createContainer(
              hollowSpec(commands[i % commands.length], {
                name: `task-${h}-${i}`,
                labels: { host: String(h), task: `t-${i}` },
                portBindings: i % 2 === 0 ? [tcp(8080, 0)] : [],
                ...(i % 5 === 0 ? { healthCheck: healthCheck(["CMD-SHELL", "true"]) } : {}),
              }),
            ),
          );
        }
        return mine;
      }),
    );
    await Promise.all(hosts.flatMap((host, h) => ids[h]!.map((id) => host.startContainer(id))));
    for (const [h, host] of hosts.entries()) {
      const states = await host.list({ host: String(h) });
      expect(states).toHaveLength(25);
      expect(states.every((s) => s.status === "running")).toBe(true);
    }

    await Promise.all(hosts.flatMap((host, h) => ids[h]!.map((id) => host.stopContainer(id, 10))));
    for (const host of hosts) {
      const states = await host.list({});
      expect(states.every((s) => s.status === "exited")).toBe(true);
      expect(host.pendingTimers).toBe(0);
      expect(host.portsInUse).toBe(0);
    }
    await Promise.all(hosts.flatMap((host, h) => ids[h]!.map((id) => host.removeContainer(id))));
    expect(hosts.every((host) => host.containerCount === 0 && host.pendingTimers === 0)).toBe(true);
  }, 60_000);
});
