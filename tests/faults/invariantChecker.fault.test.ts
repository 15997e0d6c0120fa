import { randomUUID } from "node:crypto";
import Docker from "dockerode";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../fixtures/database.js";
import { natsUrl, testPrefix } from "../fixtures/nats.js";
import { checkClientTokens, checkInvariants } from "./fixtures/invariants.js";
import { IMAGE } from "./fixtures/workload.js";

/**
 * The checker itself must be able to fail: a log with a gap, an event without an actor,
 * an event the relay never published, a projection row the log does not explain, an
 * orphan container and a token used twice each produce a violation.
 */
describe("the invariant checker", () => {
  let database: TestDatabase;
  const agentId = `i-${testPrefix("checker")}`;
  const docker = new Docker();
  let container: Docker.Container | undefined;

  beforeAll(async () => {
    database = await createTestDatabase("fault_checker");
  });
  afterAll(async () => {
    await container?.remove({ force: true }).catch(() => undefined);
    await database?.drop();
  });

  const append = async (
    streamId: string,
    version: number,
    type: string,
    data: Record<string, unknown>,
    metadata: Record<string, unknown> = { actor: "test", correlationId: randomUUID() },
  ) => {
    await sql`INSERT INTO events (event_id, stream_id, stream_version, type, schema_version, data, metadata)
              VALUES (${randomUUID()}, ${streamId}, ${version}, ${type}, 1,
                      ${JSON.stringify(data)}::jsonb, ${JSON.stringify(metadata)}::jsonb)`.execute(
      database.db,
    );
    await sql`INSERT INTO streams (stream_id, version) VALUES (${streamId}, ${version})
              ON CONFLICT (stream_id) DO UPDATE SET version = EXCLUDED.version`.execute(
      database.db,
    );
  };

  it("reports each broken invariant", async () => {
    const created = (name: string, token: string) => ({
      clusterName: "default",
      clusterArn: `arn:aws:ecs:us-east-1:000000000000:cluster/${name}`,
      settings: [],
      capacityProviders: [],
      defaultCapacityProviderStrategy: [],
      tags: [],
      createdAt: new Date().toISOString(),
      serviceArn: `arn:aws:ecs:us-east-1:000000000000:service/default/${name}`,
      clientToken: token,
    });
    // A gap (versions 1 and 3), an event with neither actor nor cause, and a cluster event
    // the projections never saw.
    await append("x:gap", 1, "Noted", {});
    await append("x:gap", 3, "Noted", {});
    await append("x:anonymous", 1, "Noted", {}, {});
    await append("cluster:ghost", 1, "ClusterCreated", created("ghost", "t1"));
    // The same token on two "ServiceCreated" events: two services for one acknowledged call.
    await append("service:default/a", 1, "ServiceCreated", created("a", "dup"));
    await append("service:default/b", 1, "ServiceCreated", created("b", "dup"));

    // A task that runs again after it STOPPED.
    const state = (lastStatus: string) => ({
      clusterName: "default",
      taskArn: "arn:aws:ecs:us-east-1:000000000000:task/default/t1",
      lastStatus,
      containers: [],
      at: Date.now(),
    });
    await append("task:default/t1", 1, "TaskStateChanged", state("STOPPED"));
    await append("task:default/t1", 2, "TaskStateChanged", state("RUNNING"));

    const c = await docker.createContainer({
      Image: IMAGE,
      Cmd: ["sleep", "60"],
      Labels: {
        "com.flotilla.agent-id": agentId,
        "com.flotilla.task-arn": "arn:aws:ecs:us-east-1:000000000000:task/default/nope",
        "com.flotilla.container-name": "main",
      },
      HostConfig: { AutoRemove: false },
    });
    container = c;
    await c.start();

    const target = {
      databaseUrl: database.url,
      natsUrl: natsUrl(),
      prefix: testPrefix("checker"),
      agentIds: [agentId],
    };
    const report = await checkInvariants(target, { convergeTimeoutMs: 1_000 });
    const text = report.violations.join("\n");
    expect(report.ok).toBe(false);
    expect(text).toContain("stream versions gapless: stream x:gap");
    expect(text).toContain("every event has an actor and a cause");
    expect(text).toContain("every event published to JetStream: relay behind the log");
    expect(text).toContain("projections equal a rebuild");
    expect(text).toContain("no orphan managed container: orphan container");
    expect(text).toContain("task/default/t1 reported RUNNING after STOPPED");

    const tokens = await checkClientTokens(target, [
      { action: "CreateService", clientToken: "dup" },
      { action: "CreateService", clientToken: "t1" },
    ]);
    expect(tokens.violations).toEqual([
      "every acknowledged token has one effect: CreateService token dup: 2 services created, not 1",
      "every acknowledged token has one effect: CreateService token t1: 0 services created, not 1",
    ]);
  });
});
