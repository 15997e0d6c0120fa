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

  const aws = async (...args: string[]) => {
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
    return JSON.parse(stdout) as Record<string, unknown>;
  };

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
});
