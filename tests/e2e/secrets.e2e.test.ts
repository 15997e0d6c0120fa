import { execFile } from "node:child_process";
import { randomUUID } from "node:crypto";
import { promisify } from "node:util";
import {
  CreateSecretCommand,
  DescribeSecretCommand,
  GetSecretValueCommand,
  ListSecretsCommand,
  SecretsManagerClient,
} from "@aws-sdk/client-secrets-manager";
import {
  DescribeTaskDefinitionCommand,
  DescribeTasksCommand,
  ListContainerInstancesCommand,
  RegisterTaskDefinitionCommand,
  RunTaskCommand,
  waitUntilTasksRunning,
  waitUntilTasksStopped,
  type ECSClient,
} from "@aws-sdk/client-ecs";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  startTestSystem,
  TEST_ACCESS_KEY,
  TEST_ACCOUNT,
  TEST_REGION,
  type TestSystem,
} from "../fixtures/system.js";
import { waitFor } from "../fixtures/waitFor.js";

const run = promisify(execFile);
const IMAGE = "flotilla-test/busybox:latest";
const READER = "secrets-reader";
const NO_SECRETS = "no-secrets";
const roleArn = (name: string) => `arn:aws:iam::${TEST_ACCOUNT}:role/${name}`;
const SECRET_PREFIX = `arn:aws:secretsmanager:${TEST_REGION}:${TEST_ACCOUNT}:secret:e2e/`;

/** Values nobody could find by accident: the test greps everything for them. */
const PASSWORD = `pw-${randomUUID()}`;
const API_KEY = `key-${randomUUID()}`;
const VALUES = [PASSWORD, API_KEY];

/**
 * Issue 11: a secret injected through `secrets` is visible inside the container and nowhere
 * else — not in the event log, the services' output, the log store or any API output.
 */
describe("secrets: Secrets Manager values in containers, and nowhere else", () => {
  let sys: TestSystem;
  let ecs: ECSClient;
  let sm: SecretsManagerClient;
  let passwordArn: string;
  let jsonArn: string;

  beforeAll(async () => {
    sys = await startTestSystem("e2e_secrets", {
      principals: [
        {
          name: READER,
          kind: "role",
          policies: [
            {
              Statement: [
                {
                  Effect: "Allow",
                  Action: "secretsmanager:GetSecretValue",
                  Resource: `${SECRET_PREFIX}*`,
                },
              ],
            },
          ],
        },
        {
          name: NO_SECRETS,
          kind: "role",
          policies: [{ Statement: [{ Effect: "Allow", Action: "ecs:*", Resource: "*" }] }],
        },
      ],
    });
    ecs = sys.ecs();
    sm = new SecretsManagerClient({
      endpoint: sys.endpoint,
      region: TEST_REGION,
      credentials: { accessKeyId: TEST_ACCESS_KEY, secretAccessKey: "test" },
      maxAttempts: 1,
    });
    await waitFor(
      async () =>
        ((await ecs.send(new ListContainerInstancesCommand({}))).containerInstanceArns ?? [])
          .length > 0,
      "the agent to register",
      60_000,
    );
    passwordArn = (
      await sm.send(new CreateSecretCommand({ Name: "e2e/db-password", SecretString: PASSWORD }))
    ).ARN!;
    jsonArn = (
      await sm.send(
        new CreateSecretCommand({
          Name: "e2e/service",
          SecretString: JSON.stringify({ user: "svc", apiKey: API_KEY }),
          Description: "the service's credentials",
        }),
      )
    ).ARN!;
  });

  afterAll(async () => {
    if (sys) {
      const { stdout } = await run("docker", [
        "ps",
        "-aq",
        "--filter",
        `label=com.flotilla.agent-id=${sys.agentId}`,
      ]).catch(() => ({ stdout: "" }));
      const ids = stdout.split("\n").filter(Boolean);
      if (ids.length) await run("docker", ["rm", "-f", ...ids]).catch(() => undefined);
    }
    sm?.destroy();
    await sys?.stop();
  });

  const runTask = async (family: string, executionRoleArn?: string) => {
    const td = await ecs.send(
      new RegisterTaskDefinitionCommand({
        family,
        ...(executionRoleArn ? { executionRoleArn } : {}),
        containerDefinitions: [
          {
            name: "app",
            image: IMAGE,
            memory: 32,
            // Prints only the lengths: a check result that does not contain the values.
            command: [
              "sh",
              "-c",
              'echo "password length ${#DB_PASSWORD}, key length ${#API_KEY}"; sleep 600',
            ],
            environment: [{ name: "DB_PASSWORD", value: "overridden by the secret" }],
            secrets: [
              { name: "DB_PASSWORD", valueFrom: passwordArn },
              { name: "API_KEY", valueFrom: `${jsonArn}:apiKey::` },
            ],
            logConfiguration: {
              logDriver: "awslogs",
              options: {
                "awslogs-group": "/ecs/e2e-secrets",
                "awslogs-region": TEST_REGION,
                "awslogs-stream-prefix": family,
                "awslogs-create-group": "true",
              },
            },
          },
        ],
      }),
    );
    const started = await ecs.send(
      new RunTaskCommand({ taskDefinition: td.taskDefinition!.taskDefinitionArn! }),
    );
    expect(started.failures).toEqual([]);
    return started.tasks![0]!.taskArn!;
  };

  const containerOf = async (taskArn: string): Promise<string> => {
    const { stdout } = await run("docker", [
      "ps",
      "-q",
      "--filter",
      `label=com.flotilla.task-arn=${taskArn}`,
    ]);
    const id = stdout.trim().split("\n")[0];
    if (!id) throw new Error(`no container of ${taskArn}`);
    return id;
  };

  const expectNoValue = (where: string, text: string) => {
    for (const value of VALUES) {
      expect(text.includes(value), `${where} contains a secret value`).toBe(false);
      expect(text.includes(Buffer.from(value).toString("base64")), `${where} (base64)`).toBe(false);
    }
  };

  it("injects the values into the container's environment and shows them nowhere else", async () => {
    const taskArn = await runTask("e2e-secrets-ok", roleArn(READER));
    await waitUntilTasksRunning(
      { client: ecs, maxWaitTime: 120, minDelay: 1 },
      { tasks: [taskArn] },
    ).catch(async () => {
      const t = (await ecs.send(new DescribeTasksCommand({ tasks: [taskArn] }))).tasks?.[0];
      throw new Error(`task did not run: ${t?.lastStatus} ${t?.stoppedReason}`);
    });

    // Inside the container: the secret's value, and one key of the JSON secret.
    const id = await containerOf(taskArn);
    const env = async (name: string) =>
      (await run("docker", ["exec", id, "sh", "-c", `printf %s "$${name}"`])).stdout;
    expect(await env("DB_PASSWORD")).toBe(PASSWORD);
    expect(await env("API_KEY")).toBe(API_KEY);

    // The container's own check result reached the log store (so the store was in play).
    const db = sys.database.db;
    await waitFor(
      async () => {
        const rows = await sql<{ t: string }>`SELECT e::text AS t FROM log_events e`.execute(db);
        return rows.rows.some((r) =>
          r.t.includes(`password length ${PASSWORD.length}, key length ${API_KEY.length}`),
        );
      },
      "the container's line in the log store",
      30_000,
    );

    // Nowhere else: every column of the event log, the log store, the secret store at rest…
    const events = await sql<{ t: string }>`SELECT e::text AS t FROM events e`.execute(db);
    expect(events.rows.length).toBeGreaterThan(0);
    expectNoValue("the event log", events.rows.map((r) => r.t).join("\n"));
    const created = events.rows.filter((r) => r.t.includes("SecretCreated"));
    expect(created.length).toBe(2);
    const logLines = await sql<{ t: string }>`SELECT e::text AS t FROM log_events e`.execute(db);
    expectNoValue("the log store", logLines.rows.map((r) => r.t).join("\n"));
    const atRest = await sql<{ t: string }>`SELECT s::text AS t FROM secrets s`.execute(db);
    expect(atRest.rows.length).toBe(2);
    expectNoValue("the secret store's rows", atRest.rows.map((r) => r.t).join("\n"));
    expect(atRest.rows.map((r) => r.t).join("\n")).not.toContain("apiKey");

    // …the API's Describe* and List* output…
    const tasks = await ecs.send(new DescribeTasksCommand({ tasks: [taskArn] }));
    expect(tasks.tasks?.[0]?.lastStatus).toBe("RUNNING");
    expectNoValue("DescribeTasks", JSON.stringify(tasks));
    const tds = await ecs.send(
      new DescribeTaskDefinitionCommand({ taskDefinition: "e2e-secrets-ok" }),
    );
    expect(tds.taskDefinition?.containerDefinitions?.[0]?.secrets?.length).toBe(2);
    expectNoValue("DescribeTaskDefinition", JSON.stringify(tds));
    const described = await sm.send(new DescribeSecretCommand({ SecretId: "e2e/db-password" }));
    expect(described.ARN).toBe(passwordArn);
    expectNoValue("DescribeSecret", JSON.stringify(described));
    const listed = await sm.send(new ListSecretsCommand({}));
    expect(listed.SecretList?.map((s) => s.Name).sort()).toEqual([
      "e2e/db-password",
      "e2e/service",
    ]);
    expectNoValue("ListSecrets", JSON.stringify(listed));

    // …and every line the four services printed.
    expect(sys.output.length).toBeGreaterThan(0);
    expectNoValue("the services' output", sys.output.join("\n"));

    // GetSecretValue is the one API answer that carries it (for a caller allowed to read it).
    const got = await sm.send(new GetSecretValueCommand({ SecretId: passwordArn }));
    expect(got.SecretString).toBe(PASSWORD);
  });

  it("stops a task whose execution role may not read the secret, and audits the denial", async () => {
    const taskArn = await runTask("e2e-secrets-denied", roleArn(NO_SECRETS));
    await waitUntilTasksStopped(
      { client: ecs, maxWaitTime: 120, minDelay: 1 },
      { tasks: [taskArn] },
    );
    const task = (await ecs.send(new DescribeTasksCommand({ tasks: [taskArn] }))).tasks![0]!;
    expect(task.stopCode).toBe("TaskFailedToStart");
    expect(task.stoppedReason).toMatch(
      /^ResourceInitializationError: unable to pull secrets or registry auth: .*AccessDeniedException: User: arn:aws:sts::000000000000:assumed-role\/no-secrets\/[0-9a-f]+ is not authorized to perform: secretsmanager:GetSecretValue on resource: arn:aws:secretsmanager:/,
    );
    expect(task.stoppedReason).toContain(passwordArn);
    const denied = await sys.database.db
      .selectFrom("events")
      .select(["stream_id", "data", "metadata"])
      .where("type", "=", "AccessDenied")
      .execute();
    const ours = denied.find((e) => e.stream_id === `principal:role/${NO_SECRETS}`);
    expect(ours?.data).toMatchObject({
      principalArn: roleArn(NO_SECRETS),
      action: "secretsmanager:GetSecretValue",
      resource: passwordArn,
      reason: "ImplicitDeny",
    });
    expect(ours?.metadata).toMatchObject({ actor: `role/${NO_SECRETS}`, actorTaskArn: taskArn });
    expectNoValue("the stopped task", JSON.stringify(task));
  });

  it("stops a task with secrets but no executionRoleArn", async () => {
    const taskArn = await runTask("e2e-secrets-no-role");
    await waitUntilTasksStopped(
      { client: ecs, maxWaitTime: 120, minDelay: 1 },
      { tasks: [taskArn] },
    );
    const task = (await ecs.send(new DescribeTasksCommand({ tasks: [taskArn] }))).tasks![0]!;
    expect(task.stopCode).toBe("TaskFailedToStart");
    expect(task.stoppedReason).toMatch(
      /^ResourceInitializationError: unable to pull secrets or registry auth: .*executionRoleArn/,
    );
  });
});
