import { execFile } from "node:child_process";
import { CONTAINER_SPEC_DEFAULTS } from "../../../fixtures/containerSpec.js";
import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  ContainerStartError,
  ImagePullError,
  type ContainerSpec,
  type ContainerState,
  type RuntimeEvent,
} from "../../../../services/agent/runtime/containerRuntime.js";
import { DockerRuntime } from "../../../../services/agent/runtime/dockerRuntime.js";

/**
 * DockerRuntime against the real engine with the local busybox test image
 * (scripts/build-test-images.sh; nothing can be pulled). Every container and
 * network carries this run's label and is removed in afterAll, pass or fail.
 */

const IMAGE = "flotilla-test/busybox:latest";
const RUN_LABEL = "flotilla.test.run";
const runId = `rt-${process.pid}-${Date.now().toString(36)}`;
const runLabels = { [RUN_LABEL]: runId };
const MiB = 1024 * 1024;

const runtime = new DockerRuntime();
const docker = runtime.docker;
const repoRoot = join(import.meta.dirname, "../../../..");

/** A spec with Flotilla's defaults; `name` gets the run id so parallel runs never clash. */
const spec = (name: string, overrides: Partial<ContainerSpec> = {}): ContainerSpec => ({
  name: `${runId}-${name}`,
  image: IMAGE,
  ...CONTAINER_SPEC_DEFAULTS,
  stopTimeoutSeconds: 10,
  ...overrides,
  labels: { ...runLabels, ...overrides.labels },
});

const sh = (script: string) => ({ command: ["sh", "-c", script] });

/** Polls `probe` until it returns a value, or fails after `timeoutMs`. */
async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  timeoutMs = 20_000,
  intervalMs = 50,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`, { cause: last });
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

const waitForState = (
  id: string,
  what: string,
  ok: (state: ContainerState) => boolean,
  timeoutMs?: number,
) =>
  waitFor(
    `${what} (${id.slice(0, 12)})`,
    async () => {
      const state = await runtime.inspect(id);
      return state && ok(state) ? state : undefined;
    },
    timeoutMs,
  );

const waitForExit = (id: string) => waitForState(id, "exit", (s) => s.status === "exited");
const waitForRunning = (id: string) => waitForState(id, "running", (s) => s.status === "running");

async function run(containerSpec: ContainerSpec): Promise<string> {
  const id = await runtime.createContainer(containerSpec);
  await runtime.startContainer(id);
  return id;
}

const tempDirs: string[] = [];

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
  const filters = { label: [`${RUN_LABEL}=${runId}`] };
  const containers = await docker.listContainers({ all: true, filters });
  await Promise.allSettled(
    containers.map((c) => docker.getContainer(c.Id).remove({ force: true, v: true })),
  );
  const networks = await docker.listNetworks({ filters });
  await Promise.allSettled(networks.map((n) => docker.getNetwork(n.Id).remove()));
  await Promise.allSettled(tempDirs.map((dir) => rm(dir, { recursive: true, force: true })));
});

describe("DockerRuntime (real engine)", () => {
  it("reports the engine's version, CPUs, memory, OS and architecture", async () => {
    const info = await runtime.info();
    expect(info.runtime).toBe("docker");
    expect(info.version).toMatch(/^\d+\.\d+/);
    expect(info.cpus).toBeGreaterThanOrEqual(1);
    expect(info.memoryMiB).toBeGreaterThan(64);
    expect(info.os).toBe("linux");
    expect(info.architecture).not.toBe("unknown");
  });

  it("uses a local image without pulling, and a missing image is an ImagePullError with Docker's reason", async () => {
    await runtime.ensureImage(IMAGE);
    const missing = `flotilla-test/no-such-image-${runId}`;
    const err: unknown = await runtime.ensureImage(missing).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(ImagePullError);
    expect((err as Error).message).toContain(`${missing}:latest`);
    // Docker's own words, not only dockerode's "(HTTP code …)".
    expect((err as Error).message).not.toContain("(HTTP code");
  });

  it("serves busybox httpd on a dynamic 127.0.0.1 port that inspect reports", async () => {
    const started = performance.now();
    const id = await run(
      spec("httpd", {
        command: ["httpd", "-f", "-p", "8080", "-h", "/www"],
        portBindings: [{ containerPort: 8080, hostPort: 0, protocol: "tcp", hostIp: "127.0.0.1" }],
      }),
    );
    const state = await waitForRunning(id);
    const toRunningMs = performance.now() - started;
    console.info(`[timing] busybox httpd create+start → running: ${toRunningMs.toFixed(0)} ms`);

    expect(state.ports).toHaveLength(1);
    const [binding] = state.ports;
    expect(binding).toMatchObject({ containerPort: 8080, protocol: "tcp", hostIp: "127.0.0.1" });
    expect(binding?.hostPort).toBeGreaterThan(0);
    expect(state.ipAddress).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
    expect(state.startedAt).toBeInstanceOf(Date);
    expect(state.finishedAt).toBeUndefined();
    expect(state.name).toBe(`${runId}-httpd`);
    expect(state.labels[RUN_LABEL]).toBe(runId);

    const body = await waitFor("an HTTP answer", async () => {
      const res = await fetch(`http://127.0.0.1:${binding?.hostPort}/`);
      return res.ok ? res.text() : undefined;
    });
    expect(body.trim()).toBe("ok");
  });

  it("reports the exit code of a container that exits", async () => {
    const id = await run(spec("exit3", sh("exit 3")));
    const state = await waitForExit(id);
    expect(state.exitCode).toBe(3);
    expect(state.oomKilled).toBe(false);
    expect(state.startedAt).toBeInstanceOf(Date);
    // Docker quirk: for a process that exits at once, FinishedAt can precede StartedAt.
    expect(state.finishedAt).toBeInstanceOf(Date);
  });

  it("marks a container that outgrows its memory limit as oomKilled", async () => {
    // dd allocates its 64 MiB block before reading: far beyond a 16 MiB limit. It first
    // waits a second: an OOM kill in a container's first milliseconds can come before
    // containerd watches the cgroup (v1) for OOM, and Docker then reports exit 137 with
    // OOMKilled false and no `oom` event (4 in 150 runs under load, Docker 20.10).
    const id = await run(
      spec("oom", {
        memoryMiB: 16,
        ...sh("sleep 1; exec dd if=/dev/zero of=/dev/null bs=64M count=1"),
      }),
    );
    const state = await waitForExit(id);
    expect(state.exitCode, JSON.stringify(state)).toBe(137);
    expect(state.oomKilled, JSON.stringify(state)).toBe(true);
  });

  it("stop sends SIGTERM first: a container that handles it exits with its own code", async () => {
    const id = await run(spec("term", sh("trap 'exit 42' TERM; while true; do sleep 0.1; done")));
    await waitForRunning(id);
    const started = performance.now();
    await runtime.stopContainer(id, 30);
    expect(performance.now() - started).toBeLessThan(10_000);
    expect((await runtime.inspect(id))?.exitCode).toBe(42);
  });

  it("stop sends SIGKILL after the timeout to a container that ignores SIGTERM (exit 137)", async () => {
    const id = await run(spec("kill", sh("trap '' TERM; sleep 100")));
    await waitForRunning(id);
    const started = performance.now();
    await runtime.stopContainer(id, 2);
    const elapsed = performance.now() - started;
    expect(elapsed).toBeGreaterThanOrEqual(1_900);
    expect(elapsed).toBeLessThan(15_000);
    const state = await runtime.inspect(id);
    expect(state?.status).toBe("exited");
    expect(state?.exitCode).toBe(137);
    // Stopping a stopped (304) or missing (404) container is not an error.
    await runtime.stopContainer(id, 1);
    await runtime.stopContainer(`${runId}-never-existed`, 1);
  });

  it("fails create and start with ContainerStartError of the right phase", async () => {
    const created: unknown = await runtime
      .createContainer(spec("no-image", { image: `flotilla-test/no-such-image-${runId}` }))
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(created).toBeInstanceOf(ContainerStartError);
    expect((created as ContainerStartError).phase).toBe("create");

    const id = await runtime.createContainer(spec("no-exec", { command: ["/no/such/binary"] }));
    const started: unknown = await runtime.startContainer(id).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(started).toBeInstanceOf(ContainerStartError);
    expect((started as ContainerStartError).phase).toBe("start");
    expect((started as Error).message).toContain("/no/such/binary");
    const state = await runtime.inspect(id);
    expect(state?.status).toBe("created");
    expect(state?.error).toContain("/no/such/binary");
  });

  it("lists exactly the containers carrying all the given labels, running or not", async () => {
    const caseLabel = "flotilla.test.case";
    const mine = { [caseLabel]: `list-${runId}` };
    const running = await run(spec("list-a", { labels: mine, ...sh("sleep 100") }));
    const createdOnly = await runtime.createContainer(spec("list-b", { labels: mine }));
    await runtime.createContainer(spec("list-other", { labels: { [caseLabel]: "other" } }));

    const listed = await runtime.list({ ...runLabels, ...mine });
    expect(listed.map((s) => s.id).sort()).toEqual([running, createdOnly].sort());
    expect(listed.find((s) => s.id === createdOnly)?.status).toBe("created");
  });

  it("lets a container reach another by its alias on a user-defined network", async () => {
    const network = `${runId}-net`;
    await runtime.createNetwork(network, runLabels);
    await runtime.createNetwork(network, runLabels); // converging twice is fine
    const server = await run(
      spec("web", {
        command: ["httpd", "-f", "-p", "8080", "-h", "/www"],
        network: { mode: "network", network, aliases: ["web"] },
      }),
    );
    const client = await run(
      spec(
        "client",
        // Succeeds only if the alias "web" resolves and its address answers "ok"; retries
        // while httpd starts. The static busybox's wget segfaults resolving names itself
        // (static glibc, no NSS) and with -T, so nslookup (busybox's own resolver) resolves.
        {
          ...sh(
            [
              "i=0; while [ $i -lt 100 ]; do",
              "ip=$(nslookup web 2>/dev/null | awk '/^Address: /{print $2}' | tail -n 1);",
              '[ -n "$ip" ] && wget -q -O- "http://$ip:8080/" 2>/dev/null | grep -qx ok && exit 0;',
              "i=$((i+1)); sleep 0.1; done; exit 1",
            ].join(" "),
          ),
          network: { mode: "network", network, aliases: [] },
        },
      ),
    );
    expect((await waitForExit(client)).exitCode).toBe(0);
    expect((await runtime.inspect(server))?.ipAddress).toMatch(/^\d+\.\d+\.\d+\.\d+$/);

    await runtime.removeContainer(server);
    await runtime.removeContainer(client);
    await runtime.removeNetwork(network);
    await runtime.removeNetwork(network); // a missing network is not an error
    expect((await docker.listNetworks({ filters: { name: [network] } })).length).toBe(0);
  });

  it("a read-only bind mount cannot be written; a read-write one can", async () => {
    const dir = await mkdtemp(join(tmpdir(), "flotilla-bind-"));
    tempDirs.push(dir);
    const mount = (readOnly: boolean) => ({
      mounts: [{ type: "bind" as const, source: dir, target: "/data", readOnly }],
    });
    const ro = await run(spec("bind-ro", { ...mount(true), ...sh("echo ro > /data/ro.txt") }));
    const rw = await run(spec("bind-rw", { ...mount(false), ...sh("echo rw > /data/rw.txt") }));
    expect((await waitForExit(ro)).exitCode).not.toBe(0);
    expect((await waitForExit(rw)).exitCode).toBe(0);
    expect(existsSync(join(dir, "ro.txt"))).toBe(false);
    expect((await readFile(join(dir, "rw.txt"), "utf8")).trim()).toBe("rw");
  });

  it("health checks reach healthy and unhealthy", async () => {
    const check = (test: string) => ({
      healthCheck: {
        test: ["CMD-SHELL", test],
        intervalSeconds: 1,
        timeoutSeconds: 1,
        retries: 1,
        startPeriodSeconds: 0,
      },
    });
    const healthy = await run(spec("healthy", { ...check("true"), ...sh("sleep 100") }));
    const unhealthy = await run(spec("unhealthy", { ...check("false"), ...sh("sleep 100") }));
    await waitForState(healthy, "healthy", (s) => s.health === "healthy");
    await waitForState(unhealthy, "unhealthy", (s) => s.health === "unhealthy");
  });

  it("stats of a running container: positive memory, its limit, CPU time", async () => {
    const id = await run(spec("stats", { memoryMiB: 64, ...sh("sleep 100") }));
    await waitForRunning(id);
    const stats = await waitFor("stats", () => runtime.stats(id));
    expect(stats.memoryBytes).toBeGreaterThan(0);
    expect(stats.memoryLimitBytes).toBe(64 * MiB);
    expect(stats.cpuNanos).toBeGreaterThan(0);
    expect(stats.systemCpuNanos).toBeGreaterThan(stats.cpuNanos);
    expect(stats.onlineCpus).toBeGreaterThanOrEqual(1);
    expect(Math.abs(stats.at.getTime() - Date.now())).toBeLessThan(60_000);

    await runtime.stopContainer(id, 0);
    expect(await runtime.stats(id)).toBeUndefined(); // not running
    expect(await runtime.stats(`${runId}-never-existed`)).toBeUndefined();
  });

  it("events yield a die for a container that exits, and end cleanly on abort", async () => {
    const controller = new AbortController();
    const seen: RuntimeEvent[] = [];
    const consuming = (async () => {
      for await (const event of runtime.events(controller.signal)) seen.push(event);
    })();
    try {
      // The subscription is live once it sees a marker container's start: a start
      // issued before that may predate it, so restart the marker until one shows.
      const marker = await runtime.createContainer(spec("events-marker", sh("true")));
      await waitFor("the event subscription", async () => {
        await runtime.startContainer(marker);
        return seen.some((e) => e.containerId === marker) ? true : undefined;
      });

      const id = await run(spec("events-die", sh("exit 4")));
      const die = await waitFor("a die event", () =>
        Promise.resolve(seen.find((e) => e.containerId === id && e.action === "die")),
      );
      expect(die.labels[RUN_LABEL]).toBe(runId);
      expect(die.labels).not.toHaveProperty("exitCode");
      expect(seen.find((e) => e.containerId === id && e.action === "start")).toBeDefined();
    } finally {
      controller.abort();
    }
    await expect(consuming).resolves.toBeUndefined();
  });

  it("restartContainer runs the container again in place", async () => {
    const id = await run(spec("restart", sh("sleep 100")));
    const before = await waitForRunning(id);
    await runtime.restartContainer(id, 0);
    const after = await waitForRunning(id);
    expect(after.id).toBe(before.id);
    expect(after.startedAt!.getTime()).toBeGreaterThan(before.startedAt!.getTime());
    // Docker counts only its own restart-policy restarts in RestartCount, not
    // `POST /restart`: the agent must count restarts itself.
    expect(after.restartCount).toBe(before.restartCount);
    // The previous run's FinishedAt is older than the new StartedAt: not reported.
    expect(after.finishedAt).toBeUndefined();
  });

  it("removes a running container; a missing one is not an error, and inspect says undefined", async () => {
    const id = await run(spec("remove", sh("sleep 100")));
    await waitForRunning(id);
    await runtime.removeContainer(id);
    expect(await runtime.inspect(id)).toBeUndefined();
    await runtime.removeContainer(id);
  });
});
