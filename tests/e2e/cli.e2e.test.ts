import { execFile, spawn } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  DescribeServicesCommand,
  ListContainerInstancesCommand,
  ListTaskDefinitionsCommand,
  type ECSClient,
} from "@aws-sdk/client-ecs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestSystem, TEST_ACCESS_KEY, type TestSystem } from "../fixtures/system.js";
import { waitFor } from "../fixtures/waitFor.js";

const BIN = new URL("../../bin/flotilla.mjs", import.meta.url).pathname;
const IMAGE = "flotilla-test/busybox:latest";

interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** A busybox httpd answering `version`, with a container health check; `command` overrides it. */
const serviceFile = (version: string, command?: string[], desiredCount = 2) => ({
  cluster: "default",
  taskDefinition: {
    family: "cliweb",
    containerDefinitions: [
      {
        name: "web",
        image: IMAGE,
        memory: 32,
        portMappings: [{ containerPort: 8080, hostPort: 0 }],
        command: command ?? [
          "sh",
          "-c",
          `mkdir -p /w && echo ${version} > /w/index.html && exec httpd -f -p 8080 -h /w`,
        ],
        healthCheck: {
          command: ["CMD-SHELL", "wget -q -O /dev/null http://127.0.0.1:8080/ || exit 1"],
          interval: 5,
          retries: 2,
        },
      },
    ],
  },
  service: {
    serviceName: "web",
    desiredCount,
    deploymentConfiguration: {
      minimumHealthyPercent: 100,
      maximumPercent: 200,
      deploymentCircuitBreaker: { enable: true, rollback: true },
    },
    healthCheckGracePeriodSeconds: 10,
  },
});

/**
 * The real `flotilla` bin (bin/flotilla.mjs) against a running system: deploy
 * --wait to completion and into the circuit breaker, plan, scale, status and
 * events, each as a user runs it (no terminal, so plain output).
 */
describe("the flotilla CLI against a running system", () => {
  let sys: TestSystem;
  let ecs: ECSClient;
  let dir: string;

  const env = () => ({
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    AWS_ACCESS_KEY_ID: TEST_ACCESS_KEY,
    AWS_SECRET_ACCESS_KEY: "test",
    FLOTILLA_ENDPOINT: sys.endpoint,
  });

  const flotilla = (...args: string[]): Promise<Run> =>
    new Promise((resolve) => {
      execFile(
        process.execPath,
        [BIN, ...args],
        { env: env(), maxBuffer: 16 * 1024 * 1024 },
        (err, stdout, stderr) => {
          const code = err ? ((err as { code?: number }).code ?? 1) : 0;
          resolve({ code: typeof code === "number" ? code : 1, stdout, stderr });
        },
      );
    });

  const file = async (name: string, content: unknown): Promise<string> => {
    const path = join(dir, name);
    await writeFile(path, JSON.stringify(content, null, 2));
    return path;
  };

  const describeWeb = async () =>
    (await ecs.send(new DescribeServicesCommand({ cluster: "default", services: ["web"] })))
      .services![0]!;

  const transcript = (title: string, args: string[], run: Run) => {
    console.log(
      [
        `--- ${title}`,
        `$ flotilla ${args.join(" ")}`,
        run.stdout.trimEnd(),
        ...(run.stderr.trim() ? [run.stderr.trimEnd()] : []),
        `(exit ${run.code})`,
      ].join("\n"),
    );
  };

  beforeAll(async () => {
    sys = await startTestSystem("e2e_flotilla_cli", {
      serviceEnv: {
        scheduler: { SERVICE_SWEEP_MS: "1000", SERVICE_THROTTLE_BASE_SECONDS: "2" },
      },
    });
    ecs = sys.ecs();
    dir = await mkdtemp(join(tmpdir(), "flotilla-cli-"));
    await waitFor(
      async () =>
        ((await ecs.send(new ListContainerInstancesCommand({}))).containerInstanceArns ?? [])
          .length === 1,
      "the agent to register",
      60_000,
    );
  }, 180_000);

  afterAll(async () => {
    await sys?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it("deploy --wait registers, creates the service and exits 0 when the rollout completes", async () => {
    const path = await file("web.json", serviceFile("v1"));
    const args = ["deploy", "-f", path, "--wait", "--timeout", "150s"];
    const run = await flotilla(...args);
    transcript("deploy --wait (v1)", args, run);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("registered task definition cliweb:1");
    expect(run.stdout).toMatch(/created service web in cluster default: deployment ecs-svc\/\S+/);
    expect(run.stdout).toMatch(/healthy 2; COMPLETED/);
    expect(run.stdout).toMatch(/deployment ecs-svc\/\S+ completed\n$/);
    const web = await describeWeb();
    expect(web.runningCount).toBe(2);
    expect(web.deployments![0]!.rolloutState).toBe("COMPLETED");
  }, 180_000);

  it("plan shows the change against the newest revision and where the tasks go, changing nothing", async () => {
    const path = await file("web-v2.json", serviceFile("v2", undefined, 3));
    const before = (await ecs.send(new ListTaskDefinitionsCommand({}))).taskDefinitionArns;
    const run = await flotilla("plan", "-f", path);
    transcript("plan (v2, 3 tasks)", ["plan", "-f", "web-v2.json"], run);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(
      "task definition cliweb: a new revision would be registered (1 change(s) from cliweb:1):",
    );
    expect(run.stdout).toMatch(/~ containerDefinitions\[web\]\.command\[2\]: ".*v1.*" → ".*v2.*"/);
    expect(run.stdout).toContain("~ desiredCount: 2 → 3");
    // The changed definition is planned as deploy would register it, not as cliweb:1.
    expect(run.stdout).toMatch(
      /placement of 3 task\(s\) \(as the new revision of cliweb\):\n {4}3 task\(s\) on \S+/,
    );
    // A family never registered is planned too; one too big for the host is not placed.
    const big = serviceFile("v1", undefined, 1);
    const huge = {
      ...big,
      taskDefinition: {
        ...big.taskDefinition,
        family: "cliplan",
        containerDefinitions: [{ ...big.taskDefinition.containerDefinitions[0]!, memory: 200_000 }],
      },
      service: { ...big.service, serviceName: "plan-only" },
    };
    const fresh = await flotilla("plan", "-f", await file("fresh.json", huge));
    expect(fresh.code).toBe(0);
    expect(fresh.stdout).toContain("placement of 1 task(s) (as the new revision of cliplan)");
    expect(fresh.stdout).toMatch(/insufficient memory/);
    // Unchanged: the same file again plans nothing.
    const same = await flotilla("plan", "-f", join(dir, "web.json"));
    expect(same.stdout).toContain("task definition cliweb: unchanged from cliweb:1");
    expect(same.stdout).toContain("service web: no changes");
    expect(same.stdout).toMatch(/placement of 2 task\(s\) \(as service web\)/);
    expect(same.stdout).toContain("nothing to deploy.");
    expect((await ecs.send(new ListTaskDefinitionsCommand({}))).taskDefinitionArns).toEqual(before);
    expect((await describeWeb()).desiredCount).toBe(2);
  }, 60_000);

  it("scale --wait, status and events show the service at its new count", async () => {
    const scaled = await flotilla("scale", "web", "3", "--wait", "--timeout", "120s");
    transcript("scale web 3 --wait", ["scale", "web", "3", "--wait"], scaled);
    expect(scaled.code).toBe(0);
    expect(scaled.stdout).toContain("service web runs 3 task(s)");
    expect((await describeWeb()).runningCount).toBe(3);

    const one = await flotilla("status", "web");
    transcript("status web", ["status", "web"], one);
    expect(one.code).toBe(0);
    expect(one.stdout).toMatch(
      /^service web \(cluster default, ACTIVE\): cliweb:1, desired 3, running 3/,
    );
    expect(
      one.stdout.match(/\bRUNNING\s+RUNNING\s+(HEALTHY|UNKNOWN)\s+\S+\s+ecs-svc/g),
    ).toHaveLength(3);

    const all = await flotilla("status");
    transcript("status", ["status"], all);
    expect(all.stdout).toMatch(/^cluster default \(ACTIVE\): 1 agent\(s\)/);
    expect(all.stdout).toMatch(/\bconnected\s+3\b/);
    expect(all.stdout).toMatch(/\nweb\s+ACTIVE\s+cliweb:1\s+3\s+3\s+0\s+1\s+COMPLETED/);

    const events = await flotilla(
      "events",
      "--cluster",
      "default",
      "--service",
      "web",
      "--limit",
      "200",
    );
    expect(events.code).toBe(0);
    expect(events.stdout).toMatch(/ServiceCreated\s+service\/default\/web\s+AKIDE2ETEST/);
    expect(events.stdout).toMatch(
      /ServiceUpdated\s+service\/default\/web\s+AKIDE2ETEST\s+.*"desiredCount":3/,
    );
    expect(events.stdout).not.toMatch(/TaskDefinitionRegistered/);
  }, 180_000);

  it("events --follow prints a change as it is recorded", async () => {
    const child = spawn(
      process.execPath,
      [BIN, "events", "--follow", "--service", "web", "--type", "ServiceUpdated", "--limit", "1"],
      { env: env(), stdio: ["ignore", "pipe", "pipe"] },
    );
    let out = "";
    child.stdout.on("data", (chunk: Buffer) => (out += chunk.toString()));
    try {
      await waitFor(() => out.includes('"desiredCount":3'), "the newest event listed", 30_000);
      const scaled = await flotilla("scale", "web", "2");
      expect(scaled.code).toBe(0);
      await waitFor(() => out.includes('"desiredCount":2'), "the followed event", 30_000);
      expect(out.match(/"desiredCount":3/g)).toHaveLength(1);
    } finally {
      child.kill("SIGTERM");
    }
  }, 60_000);

  it("logs prints a service's awslogs lines by container and task", async () => {
    const path = await file("logger.json", {
      taskDefinition: {
        family: "clilogger",
        containerDefinitions: [
          {
            name: "talker",
            image: IMAGE,
            memory: 16,
            command: ["sh", "-c", "for i in 1 2 3; do echo line $i; done; exec sleep 3600"],
            logConfiguration: {
              logDriver: "awslogs",
              options: {
                "awslogs-group": "/flotilla/cli-e2e",
                "awslogs-region": "us-east-1",
                "awslogs-stream-prefix": "app",
                "awslogs-create-group": "true",
              },
            },
          },
        ],
      },
      service: { serviceName: "logger", desiredCount: 1 },
    });
    const deployed = await flotilla("deploy", "-f", path, "--wait", "--timeout", "90s");
    expect(deployed.code).toBe(0);
    let run: Run = { code: -1, stdout: "", stderr: "" };
    await waitFor(
      async () => {
        run = await flotilla("logs", "logger");
        return run.stdout.includes("line 3");
      },
      "the container's lines in flotilla logs",
      60_000,
      1000,
    );
    transcript("logs logger", ["logs", "logger"], run);
    expect(run.stdout).toMatch(
      /^\d{4}-\d\d-\d\dT\S+Z talker\/[0-9a-f]{8} {2}line 1\n.* talker\/[0-9a-f]{8} {2}line 2\n.* line 3\n/,
    );
    const scaled = await flotilla("scale", "logger", "0");
    expect(scaled.code).toBe(0);
  }, 180_000);

  it("deploy --wait of a container that exits at once trips the circuit breaker, rolls back and exits 1", async () => {
    const path = await file("web-crash.json", serviceFile("v3", ["sh", "-c", "exit 1"]));
    const args = ["deploy", "-f", path, "--wait", "--timeout", "150s"];
    const run = await flotilla(...args);
    transcript("deploy --wait (crashing v3)", args, run);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain("registered task definition cliweb:2");
    expect(run.stdout).toMatch(/deployment failed: tasks failed to start/);
    expect(run.stderr).toMatch(/deployment ecs-svc\/\S+ FAILED: .*; rolled back to ecs-svc\/\S+/);
    const web = await describeWeb();
    expect(web.taskDefinition).toMatch(/task-definition\/cliweb:1$/);
  }, 180_000);

  it("answers mistakes with one line and a usage exit code", async () => {
    const missing = await flotilla("deploy");
    expect(missing.code).toBe(2);
    expect(missing.stderr).toBe(
      "flotilla deploy: give the service file with -f service.json (docs/cli.md)\n",
    );
    const bad = await file("bad.json", {
      ...serviceFile("x"),
      service: { serviceName: "web", desiredCont: 1 },
    });
    const typo = await flotilla("plan", "-f", bad);
    expect(typo.code).toBe(2);
    expect(typo.stderr.trim().split("\n")).toHaveLength(1);
    expect(typo.stderr).toMatch(/desiredCont/);
    const ghost = await flotilla("status", "ghost");
    expect(ghost.code).toBe(1);
    expect(ghost.stderr).toMatch(/^flotilla status: ServiceNotFoundException: no service ghost/);
  }, 60_000);
});
