import { connect } from "@nats-io/transport-node";
import type { NatsConnection } from "@nats-io/nats-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { serveTaskCredentials } from "../../../services/api/taskCredentials/serveTaskCredentials.js";
import { natsCredentialsSource } from "../../../services/agent/credentials/credentialsSource.js";
import {
  deriveTaskCredentialsKeys,
  IamConfig,
  openSessionToken,
  principalDirectory,
} from "../../../shared/iam/index.js";
import { silentLogger } from "../../../shared/log/index.js";
import { createTestDatabase, type TestDatabase } from "../../fixtures/database.js";
import { natsUrl, testPrefix } from "../../fixtures/nats.js";

const ACCOUNT = "000000000000";
const KEYS = deriveTaskCredentialsKeys(Buffer.alloc(32, 9));
const CI = (n: number) => `arn:aws:ecs:us-east-1:${ACCOUNT}:container-instance/c/ci${n}`;
const TASK = (id: string) => `arn:aws:ecs:us-east-1:${ACCOUNT}:task/c/${id}`;
const TD = (family: string) => `arn:aws:ecs:us-east-1:${ACCOUNT}:task-definition/${family}:1`;
const ROLE_ARN = `arn:aws:iam::${ACCOUNT}:role/lister`;

let tdb: TestDatabase;
let nc: NatsConnection;
let prefix: string;

const iam = principalDirectory(
  IamConfig.parse({
    principals: [
      { name: "admin", accessKeys: [{ accessKeyId: "AKIDADMIN", secretAccessKey: "x" }] },
      { name: "lister", kind: "role", policies: [] },
    ],
  }),
  ACCOUNT,
);

const seed = async () => {
  const at = new Date();
  for (const n of [1, 2]) {
    await tdb.db
      .insertInto("container_instances")
      .values({
        container_instance_arn: CI(n),
        cluster_name: "c",
        ec2_instance_id: `i-agent${n}`,
        availability_zone: null,
        status: "ACTIVE",
        agent_connected: true,
        registered_resources: "[]",
        attributes: "[]",
        version_info: "{}",
        registered_at: at,
        updated_at: at,
        version: "1",
        last_position: "1",
      })
      .execute();
  }
  const definition = (family: string, extra: Record<string, unknown>) => ({
    family,
    revision: 1,
    task_definition_arn: TD(family),
    status: "ACTIVE",
    definition: JSON.stringify({ family, containerDefinitions: [], ...extra }),
    registered_at: at,
    deregistered_at: null,
    last_position: "1",
  });
  await tdb.db
    .insertInto("task_definitions")
    .values([
      definition("with-role", { taskRoleArn: ROLE_ARN }),
      definition("no-role", {}),
      definition("unknown-role", { taskRoleArn: `arn:aws:iam::${ACCOUNT}:role/nobody` }),
    ])
    .execute();
  const task = (id: string, family: string, ci: number, lastStatus = "RUNNING") => ({
    task_arn: TASK(id),
    cluster_name: "c",
    task_definition_arn: TD(family),
    family,
    container_instance_arn: CI(ci),
    availability_zone: null,
    launch_type: "EC2",
    task_group: `family:${family}`,
    started_by: null,
    overrides: "{}",
    cpu: "0",
    memory: "0",
    containers: "[]",
    last_status: lastStatus,
    desired_status: lastStatus === "STOPPED" ? "STOPPED" : "RUNNING",
    health_status: "UNKNOWN",
    created_at: at,
    version: "1",
    last_position: "1",
  });
  await tdb.db
    .insertInto("tasks")
    .values([
      task("mine", "with-role", 1),
      task("theirs", "with-role", 2),
      task("stopped", "with-role", 1, "STOPPED"),
      task("roleless", "no-role", 1),
      task("stranger", "unknown-role", 1),
    ])
    .execute();
};

const refusal = (p: Promise<unknown>) =>
  p.then(
    () => "(issued)",
    (e: Error) => e.message,
  );

describe("the api mints task role credentials for an agent's own tasks only (NATS + Postgres)", () => {
  beforeAll(async () => {
    tdb = await createTestDatabase("int_task_credentials");
    await seed();
    nc = await connect({ servers: natsUrl() });
    prefix = testPrefix("int_task_credentials");
    serveTaskCredentials({
      nc,
      prefix,
      db: tdb.db,
      log: silentLogger,
      iam,
      keys: KEYS,
      ttlSeconds: 3600,
    });
  });
  afterAll(async () => {
    await nc?.close();
    await tdb?.drop();
  });

  const agent = (agentId: string) =>
    natsCredentialsSource({ nc, prefix, agentId, timeoutMs: 5000 });

  it("issues credentials of the task's role to the agent the task was placed on", async () => {
    const c = await agent("i-agent1")(TASK("mine"), "task");
    expect(c.RoleArn).toBe(ROLE_ARN);
    const opened = openSessionToken(KEYS, c.Token, Date.now());
    expect(opened).toMatchObject({
      ok: true,
      claims: { r: "lister", t: TASK("mine"), c: "c", u: "task", k: c.AccessKeyId },
    });
    expect(Date.parse(c.Expiration) - Date.now()).toBeGreaterThan(3500_000);
  });

  it("refuses another instance's task, and a task that does not exist", async () => {
    expect(await refusal(agent("i-agent1")(TASK("theirs"), "task"))).toBe(
      `AccessDeniedException: Agent i-agent1 may not fetch credentials of task ${TASK("theirs")}: it is not placed on its instance.`,
    );
    expect(await refusal(agent("i-agent1")(TASK("nope"), "task"))).toMatch(
      /^AccessDeniedException/,
    );
  });

  it("refuses a stopped task", async () => {
    expect(await refusal(agent("i-agent1")(TASK("stopped"), "task"))).toBe(
      `ClientException: Task ${TASK("stopped")} is stopped: its credentials are no longer issued.`,
    );
  });

  it("refuses a task without a role, or whose role is not a configured role principal", async () => {
    expect(await refusal(agent("i-agent1")(TASK("roleless"), "task"))).toBe(
      `ClientException: Task ${TASK("roleless")} has no taskRoleArn.`,
    );
    expect(await refusal(agent("i-agent1")(TASK("mine"), "execution"))).toBe(
      `ClientException: Task ${TASK("mine")} has no executionRoleArn.`,
    );
    expect(await refusal(agent("i-agent1")(TASK("stranger"), "task"))).toMatch(
      /^ClientException: taskRoleArn arn:aws:iam::000000000000:role\/nobody of task .* is not a role of this Flotilla/,
    );
  });
});
