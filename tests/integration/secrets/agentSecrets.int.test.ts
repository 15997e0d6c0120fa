import { randomBytes } from "node:crypto";
import { connect, type NatsConnection, type Subscription } from "@nats-io/transport-node";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { natsSecretSource } from "../../../services/agent/secrets/secretSource.js";
import { serveAgentSecrets } from "../../../services/api/secrets/agent/serveAgentSecrets.js";
import { sealedColumns } from "../../../services/api/secrets/secretValues.js";
import { silentLogger } from "../../../shared/log/index.js";
import { DEV_SECRETS_KEY } from "../../../shared/secrets/index.js";
import { createTestDatabase, type TestDatabase } from "../../fixtures/database.js";
import { testPrincipalDirectory } from "../../fixtures/iam.js";
import { natsUrl, testPrefix } from "../../fixtures/nats.js";

const ACCOUNT = "000000000000";
const PREFIX = "ResourceInitializationError: unable to pull secrets or registry auth: ";
const DB_ARN = `arn:aws:secretsmanager:us-east-1:${ACCOUNT}:secret:db-AbCdEf`;
const JSON_ARN = `arn:aws:secretsmanager:us-east-1:${ACCOUNT}:secret:svc-GhIjKl`;
const role = (name: string) => `arn:aws:iam::${ACCOUNT}:role/${name}`;

/**
 * Real NATS and Postgres: the agent's secret source asks the api's answering side for a
 * container's `secrets`; the api checks the task is the agent's, reads the task definition
 * and the execution role's policy, and answers values or ECS's ResourceInitializationError.
 */
describe("an agent reads its containers' secrets from the api over NATS", () => {
  const run = randomBytes(4).toString("hex");
  const agentId = `i-sec${run}`;
  const prefix = testPrefix("agentsecrets");
  let tdb: TestDatabase;
  let nc: NatsConnection;
  let service: Subscription;
  const tasks = new Map<string, string>();

  const source = (asAgent = agentId) =>
    natsSecretSource({ nc, prefix, agentId: asAgent, timeoutMs: 5_000 });

  const insertSecret = async (name: string, arn: string, value: string) => {
    await tdb.db
      .insertInto("secrets")
      .values({
        name,
        arn,
        ...sealedColumns(DEV_SECRETS_KEY, arn, "v1", {
          kind: "string",
          bytes: Buffer.from(value),
        }),
        tags: "[]",
        created_date: Date.now(),
        last_changed_date: Date.now(),
      })
      .execute();
  };

  /** A task placed on this agent, of a definition with these secrets and execution role. */
  const task = async (
    family: string,
    secrets: { name: string; valueFrom: string }[],
    executionRoleArn?: string,
  ) => {
    const tdArn = `arn:aws:ecs:us-east-1:${ACCOUNT}:task-definition/${family}:1`;
    const taskArn = `arn:aws:ecs:us-east-1:${ACCOUNT}:task/default/${family}${run}`;
    const definition = {
      family,
      ...(executionRoleArn ? { executionRoleArn } : {}),
      containerDefinitions: [{ name: "app", image: "x", secrets }],
    };
    await sql`INSERT INTO task_definitions
                (family, revision, task_definition_arn, status, definition, registered_at, last_position)
              VALUES (${family}, 1, ${tdArn}, 'ACTIVE', ${JSON.stringify(definition)}, now(), 0)`.execute(
      tdb.db,
    );
    await sql`INSERT INTO tasks
                (task_arn, cluster_name, task_definition_arn, family, container_instance_arn,
                 launch_type, task_group, overrides, cpu, memory, containers, last_status,
                 desired_status, health_status, created_at, version, last_position)
              VALUES (${taskArn}, 'default', ${tdArn}, ${family}, 'ci', 'EC2', ${`family:${family}`},
                      '{}', '0', '0', '[]', 'PENDING', 'RUNNING', 'UNKNOWN', now(), 1, 0)`.execute(
      tdb.db,
    );
    tasks.set(taskArn, agentId);
    return taskArn;
  };

  beforeAll(async () => {
    tdb = await createTestDatabase("agentsecrets");
    nc = await connect({ servers: natsUrl() });
    const iam = testPrincipalDirectory([
      {
        name: "reader",
        kind: "role",
        policies: [
          {
            Statement: [
              { Effect: "Allow", Action: "secretsmanager:GetSecretValue", Resource: "*" },
            ],
          },
        ],
      },
      {
        name: "denied",
        kind: "role",
        policies: [
          {
            Statement: [
              { Effect: "Allow", Action: "secretsmanager:GetSecretValue", Resource: JSON_ARN },
            ],
          },
        ],
      },
    ]);
    service = serveAgentSecrets({
      nc,
      prefix,
      db: tdb.db,
      log: silentLogger,
      key: DEV_SECRETS_KEY,
      accountId: ACCOUNT,
      principals: iam.principals,
      // The rule (the task is placed on the agent's instance) with this test's tasks.
      ownsTask: (agent, arn) => Promise.resolve(tasks.get(arn) === agent),
    });
    await insertSecret("db", DB_ARN, "db-value");
    await insertSecret("svc", JSON_ARN, JSON.stringify({ user: "u", port: 5432 }));
  });

  afterAll(async () => {
    service?.unsubscribe();
    await nc?.close();
    await tdb?.drop();
  });

  it("answers the values of the container's secrets, whole or one JSON key", async () => {
    const taskArn = await task(
      "ok",
      [
        { name: "DB", valueFrom: DB_ARN },
        { name: "DB_BY_NAME", valueFrom: "db" },
        { name: "USER", valueFrom: `${JSON_ARN}:user::` },
        { name: "PORT", valueFrom: `${JSON_ARN}:port::` },
      ],
      role("reader"),
    );
    expect(await source().resolve({ taskArn, containerName: "app" })).toEqual({
      ok: true,
      environment: { DB: "db-value", DB_BY_NAME: "db-value", USER: "u", PORT: "5432" },
    });
  });

  it("refuses another agent the secrets of a task not placed on its instance", async () => {
    const taskArn = await task("theirs", [{ name: "DB", valueFrom: DB_ARN }], role("reader"));
    const answer = await source("i-someoneelse").resolve({ taskArn, containerName: "app" });
    expect(answer).toEqual({
      ok: false,
      stoppedReason: `${PREFIX}AccessDeniedException: Agent i-someoneelse may not read the secrets of task ${taskArn}: it is not placed on its instance.`,
    });
  });

  it("refuses a secret the execution role may not read, and records the denial", async () => {
    const taskArn = await task("denied", [{ name: "DB", valueFrom: DB_ARN }], role("denied"));
    const answer = await source().resolve({ taskArn, containerName: "app" });
    expect(answer.ok).toBe(false);
    expect(answer.ok === false && answer.stoppedReason).toBe(
      `${PREFIX}execution resource retrieval failed: unable to retrieve secret from asm: AccessDeniedException: User: arn:aws:sts::${ACCOUNT}:assumed-role/denied/denied${run} is not authorized to perform: secretsmanager:GetSecretValue on resource: ${DB_ARN} because no identity-based policy allows the secretsmanager:GetSecretValue action`,
    );
    const events = await tdb.db
      .selectFrom("events")
      .select(["stream_id", "type", "data", "metadata"])
      .where("stream_id", "=", "principal:role/denied")
      .execute();
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      type: "AccessDenied",
      data: { principalArn: role("denied"), resource: DB_ARN, reason: "ImplicitDeny" },
      metadata: { actor: "role/denied", actorTaskArn: taskArn },
    });
  });

  it("refuses a task without executionRoleArn, with a role that is not a principal, or SSM", async () => {
    const cases: [string, string | undefined, string, RegExp][] = [
      ["norole", undefined, DB_ARN, /has no executionRoleArn/],
      ["ghost", role("ghost"), DB_ARN, /unable to assume role .*role\/ghost/],
      [
        "ssm",
        role("reader"),
        `arn:aws:ssm:us-east-1:${ACCOUNT}:parameter/db`,
        /SSM Parameter Store is not supported/,
      ],
      ["missing", role("reader"), `${DB_ARN.slice(0, -9)}nope-XyZ123`, /ResourceNotFoundException/],
    ];
    for (const [family, roleArn, valueFrom, reason] of cases) {
      const taskArn = await task(family, [{ name: "X", valueFrom }], roleArn);
      const answer = await source().resolve({ taskArn, containerName: "app" });
      expect(answer.ok, family).toBe(false);
      const stopped = answer.ok === false ? answer.stoppedReason : "";
      expect(stopped.startsWith(PREFIX), family).toBe(true);
      expect(stopped, family).toMatch(reason);
      expect(stopped, family).not.toContain("db-value");
    }
  });

  it("answers nothing for a container without secrets", async () => {
    const taskArn = await task("plain", [], undefined);
    expect(await source().resolve({ taskArn, containerName: "app" })).toEqual({
      ok: true,
      environment: {},
    });
  });
});
