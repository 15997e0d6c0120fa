import { connect } from "@nats-io/transport-node";
import type { NatsConnection } from "@nats-io/nats-core";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findFreePorts, startSystem, type RunningSystem } from "../../../scripts/supervisor.js";
import { CommandClient } from "../../../shared/bus/index.js";
import { CreateCluster, TagResource } from "../../../shared/commands/scheduler/index.js";
import { clusterStream } from "../../../shared/domain/streams.js";
import { createTestDatabase, type TestDatabase } from "../../fixtures/database.js";
import { natsUrl, testPrefix } from "../../fixtures/nats.js";
import { deleteEventStream } from "../../fixtures/system.js";
import { waitFor } from "../../fixtures/waitFor.js";

/**
 * SIGTERM while a command is in flight: the scheduler stops taking commands, answers 503
 * on /readyz, lets the command finish and reply, and only then closes NATS and Postgres
 * and exits 0. The command is held in flight by a row lock this test takes on its stream.
 */
describe("graceful shutdown of a service", () => {
  let database: TestDatabase;
  let system: RunningSystem;
  let nc: NatsConnection;
  let prefix: string;
  const output: string[] = [];

  beforeAll(async () => {
    database = await createTestDatabase("ops_shutdown");
    prefix = testPrefix("opsshut");
    const [health] = await findFreePorts(1);
    system = await startSystem({
      services: ["scheduler"],
      databaseUrl: database.url,
      natsUrl: natsUrl(),
      prefix,
      healthPorts: { scheduler: health! },
      env: { ...process.env, LOG_LEVEL: "info" },
      serviceEnv: { scheduler: { LB_HAPROXY: "off", AUDIT_DIGEST_INTERVAL_SECONDS: "0" } },
      onOutput: (_service, line) => output.push(line),
    });
    nc = await connect({ servers: natsUrl().split(",") });
  }, 120_000);

  afterAll(async () => {
    await nc?.close();
    await system?.kill();
    await database?.drop();
    if (prefix) await deleteEventStream(prefix);
  });

  it("finishes the command in flight, replies, then exits 0", async () => {
    const scheduler = system.processes.scheduler!;
    const client = new CommandClient(nc, prefix, 60_000);
    const metadata = { actor: "ops-test", correlationId: "shutdown-correlation" };
    const { clusterArn } = await client.send(CreateCluster, { clusterName: "drain" }, metadata);

    const locker = new pg.Client({ connectionString: database.url });
    await locker.connect();
    try {
      await locker.query("BEGIN");
      await locker.query("SELECT version FROM streams WHERE stream_id = $1 FOR UPDATE", [
        clusterStream("drain"),
      ]);
      const tagging = client.send(
        TagResource,
        { resourceArn: clusterArn, tags: [{ key: "during", value: "shutdown" }] },
        { ...metadata, commandId: "command-in-flight" },
      );
      // The command's append now waits for this test's lock: it is in flight.
      await waitFor(
        async () =>
          (
            await locker.query<{ n: number }>(
              `SELECT count(*)::int AS n FROM pg_stat_activity
                WHERE datname = $1 AND wait_event_type = 'Lock' AND application_name = 'flotilla-scheduler'`,
              [database.name],
            )
          ).rows[0]!.n > 0,
        "the command to wait on the stream's lock",
        30_000,
        50,
      );

      scheduler.child.kill("SIGTERM");
      await waitFor(
        () => output.some((l) => l.includes('"msg":"scheduler stopping"')),
        "the scheduler to begin stopping",
      );
      // Draining: not ready any more, still running, the command still waiting.
      const ready = await fetch(`${scheduler.healthUrl}/readyz`);
      expect(ready.status).toBe(503);
      expect(((await ready.json()) as { checks: Record<string, boolean> }).checks.serving).toBe(
        false,
      );
      expect(scheduler.exitInfo).toBeNull();

      await locker.query("COMMIT");
      await expect(tagging).resolves.toEqual({});
    } finally {
      await locker.end();
    }

    const exit = await scheduler.exited;
    expect(exit).toEqual({ code: 0, signal: null });
    const tagged = await database.db
      .selectFrom("events")
      .select(["type", "metadata"])
      .where("stream_id", "=", clusterStream("drain"))
      .orderBy("position")
      .execute();
    expect(tagged.map((e) => e.type)).toEqual(["ClusterCreated", "ResourceTagged"]);
    // The command's log line carries its ids (shared/bus serveCommands).
    const handled = output.find(
      (l) => l.includes('"msg":"command handled"') && l.includes('"command":"TagResource"'),
    );
    expect(handled).toContain('"commandId":"command-in-flight"');
    expect(handled).toContain('"correlationId":"shutdown-correlation"');
    const stopped = output.findIndex((l) => l.includes('"msg":"scheduler stopped"'));
    expect(stopped).toBeGreaterThan(output.indexOf(handled!));
  });
});
