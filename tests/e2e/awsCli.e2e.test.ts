import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestSystem, type TestSystem } from "../fixtures/system.js";

const run = promisify(execFile);

/** Debian's AWS CLI v2 (`apt-get install awscli`); a Python CLI v1 may come first on PATH. */
const AWS_CLI = "/usr/bin/aws";

describe("the real AWS CLI against Flotilla", () => {
  let sys: TestSystem;
  beforeAll(async () => {
    if (!existsSync(AWS_CLI)) {
      if (process.env.CI) throw new Error(`${AWS_CLI} is missing: .ci/run must install awscli`);
      return;
    }
    sys = await startTestSystem("e2e_cli");
  });
  afterAll(async () => sys?.stop());

  /** The CLI's stdout as printed (waiters print nothing and exit 0 on success). */
  const awsText = async (...args: string[]) => {
    const { stdout } = await run(
      AWS_CLI,
      [...args, "--endpoint-url", sys.endpoint, "--output", "json"],
      {
        env: {
          PATH: process.env.PATH,
          HOME: process.env.HOME,
          AWS_ACCESS_KEY_ID: "AKIDCLI",
          AWS_SECRET_ACCESS_KEY: "test",
          AWS_DEFAULT_REGION: "us-east-1",
          AWS_PAGER: "",
        },
      },
    );
    return stdout;
  };
  const aws = async (...args: string[]) =>
    JSON.parse(await awsText(...args)) as Record<string, unknown>;

  const cliError = (p: Promise<unknown>) =>
    p.then(
      () => "",
      (e: { stderr?: string }) => e.stderr ?? "",
    );

  it("creates and describes a cluster, registers a task definition, and reports errors", async (ctx) => {
    if (!sys) ctx.skip();
    const created = await aws("ecs", "create-cluster", "--cluster-name", "demo");
    expect(created).toMatchObject({
      cluster: {
        clusterArn: "arn:aws:ecs:us-east-1:000000000000:cluster/demo",
        clusterName: "demo",
        status: "ACTIVE",
      },
    });
    const described = await aws("ecs", "describe-clusters", "--clusters", "demo");
    expect(described).toMatchObject({
      clusters: [{ clusterName: "demo", status: "ACTIVE", runningTasksCount: 0 }],
      failures: [],
    });

    const registered = await aws(
      "ecs",
      "register-task-definition",
      "--family",
      "cli",
      "--container-definitions",
      JSON.stringify([{ name: "app", image: "flotilla-test/busybox:latest", memory: 32 }]),
    );
    expect(registered).toMatchObject({ taskDefinition: { family: "cli", revision: 1 } });
    // The CLI parsed registeredAt as a timestamp and printed it back.
    expect(String((registered.taskDefinition as { registeredAt: unknown }).registeredAt)).toMatch(
      /^\d{4}-\d\d-\d\dT/,
    );
    const listed = await aws("ecs", "list-task-definitions");
    expect(listed).toEqual({
      taskDefinitionArns: ["arn:aws:ecs:us-east-1:000000000000:task-definition/cli:1"],
    });

    const err = await cliError(aws("ecs", "delete-cluster", "--cluster", "ghost"));
    expect(err).toContain("ClusterNotFoundException");
    const err2 = await cliError(
      aws("ecs", "describe-task-definition", "--task-definition", "nope:1"),
    );
    expect(err2).toContain("ClientException");
  });

  it("runs a service: wait services-stable returns only when the rollout is done", async (ctx) => {
    if (!sys) ctx.skip();
    const web = (version: string) =>
      JSON.stringify([
        {
          name: "web",
          image: "flotilla-test/busybox:latest",
          memory: 32,
          portMappings: [{ containerPort: 8080, hostPort: 0 }],
          command: [
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
      ]);
    await aws(
      "ecs",
      "register-task-definition",
      "--family",
      "cliweb",
      "--container-definitions",
      web("v1"),
    );
    await aws(
      "ecs",
      "register-task-definition",
      "--family",
      "cliweb",
      "--container-definitions",
      web("v2"),
    );
    const created = await aws(
      "ecs",
      "create-service",
      "--service-name",
      "cliweb",
      "--task-definition",
      "cliweb:1",
      "--desired-count",
      "2",
    );
    expect(created).toMatchObject({
      service: { serviceName: "cliweb", status: "ACTIVE", desiredCount: 2 },
    });

    /** Right after the waiter returns: one deployment, COMPLETED, every task RUNNING and HEALTHY. */
    const expectDone = async (taskDefinition: string) => {
      const { services } = (await aws("ecs", "describe-services", "--services", "cliweb")) as {
        services: {
          runningCount: number;
          deployments: { rolloutState: string; taskDefinition: string }[];
        }[];
      };
      expect(services[0]!.runningCount).toBe(2);
      expect(services[0]!.deployments).toHaveLength(1);
      expect(services[0]!.deployments[0]).toMatchObject({
        rolloutState: "COMPLETED",
        taskDefinition,
      });
      const { taskArns } = (await aws("ecs", "list-tasks", "--service-name", "cliweb")) as {
        taskArns: string[];
      };
      const { tasks } = (await aws("ecs", "describe-tasks", "--tasks", ...taskArns)) as {
        tasks: { lastStatus: string; healthStatus: string; taskDefinitionArn: string }[];
      };
      expect(tasks.map((t) => [t.lastStatus, t.healthStatus, t.taskDefinitionArn])).toEqual(
        Array(2).fill(["RUNNING", "HEALTHY", taskDefinition]),
      );
    };
    expect(await awsText("ecs", "wait", "services-stable", "--services", "cliweb")).toBe("");
    await expectDone("arn:aws:ecs:us-east-1:000000000000:task-definition/cliweb:1");

    await aws("ecs", "update-service", "--service", "cliweb", "--task-definition", "cliweb:2");
    expect(await awsText("ecs", "wait", "services-stable", "--services", "cliweb")).toBe("");
    await expectDone("arn:aws:ecs:us-east-1:000000000000:task-definition/cliweb:2");

    const refused = await cliError(aws("ecs", "delete-service", "--service", "cliweb"));
    expect(refused).toContain("InvalidParameterException");
    const deleted = await aws("ecs", "delete-service", "--service", "cliweb", "--force");
    expect(deleted).toMatchObject({ service: { status: "DRAINING" } });
    expect(await awsText("ecs", "wait", "services-inactive", "--services", "cliweb")).toBe("");
  }, 240_000);
});
