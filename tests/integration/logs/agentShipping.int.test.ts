import { randomBytes } from "node:crypto";
import { connect, type NatsConnection, type Subscription } from "@nats-io/transport-node";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { systemClock } from "../../../services/agent/agentClock.js";
import { awslogsLabels } from "../../../services/agent/logs/awslogsLabels.js";
import { LogShipper } from "../../../services/agent/logs/logShipper.js";
import { natsLogSink } from "../../../services/agent/logs/logSink.js";
import { DEFAULT_LOG_SHIPPER_SETTINGS } from "../../../services/agent/logs/shipperSettings.js";
import { DockerRuntime } from "../../../services/agent/runtime/dockerRuntime.js";
import { LABEL } from "../../../services/agent/tasks/labels.js";
import { serveAgentLogs } from "../../../services/api/logs/ingest/serveAgentLogs.js";
import { silentLogger } from "../../../shared/log/index.js";
import { CONTAINER_SPEC_DEFAULTS } from "../../fixtures/containerSpec.js";
import { createTestDatabase, type TestDatabase } from "../../fixtures/database.js";
import { natsUrl, testPrefix } from "../../fixtures/nats.js";
import { waitFor } from "../../fixtures/waitFor.js";

const IMAGE = "flotilla-test/busybox:latest";
const LINES = 300;

/**
 * Real Docker, NATS and Postgres: a busybox container with an awslogs
 * configuration prints LINES lines on stdout and LINES on stderr; the agent's
 * shipper sends them to the api's ingest over NATS. Half-way the shipper is
 * stopped and a new one started (an agent restart): every line is stored
 * once, with the engine's time stamps, in order.
 */
describe("the agent ships an awslogs container's output", () => {
  const run = randomBytes(4).toString("hex");
  const agentId = `i-logs${run}`;
  const taskId = `task${run}`;
  const taskArn = `arn:aws:ecs:us-east-1:000000000000:task/default/${taskId}`;
  const prefix = testPrefix("logship");
  let tdb: TestDatabase;
  let nc: NatsConnection;
  let ingest: Subscription;
  const runtime = new DockerRuntime();
  let containerId = "";

  const shipper = () =>
    new LogShipper({
      readLogs: runtime.logs.bind(runtime),
      sink: natsLogSink({ nc, prefix, agentId, timeoutMs: 5_000 }),
      settings: { ...DEFAULT_LOG_SHIPPER_SETTINGS, flushIntervalMs: 200 },
      clock: systemClock,
      log: silentLogger,
    });

  const stored = async () =>
    (
      await sql<{ message: string; event_time: string; seq: string }>`
        SELECT e.message, e.event_time, e.seq FROM log_events e
          JOIN log_streams s ON s.stream_id = e.stream_id
         WHERE s.log_group_name = '/ecs/shipping' AND s.log_stream_name = ${`app/web/${taskId}`}
         ORDER BY e.event_time, e.seq`.execute(tdb.db)
    ).rows;

  beforeAll(async () => {
    tdb = await createTestDatabase("logship");
    nc = await connect({ servers: natsUrl() });
    ingest = serveAgentLogs({
      nc,
      prefix,
      db: tdb.db,
      log: silentLogger,
      // The ingest's rule with this test's one task in place of the tasks table.
      ownsTask: (agent, arn) => Promise.resolve(agent === agentId && arn === taskArn),
    });
    await runtime.ensureImage(IMAGE);
    containerId = await runtime.createContainer({
      ...CONTAINER_SPEC_DEFAULTS,
      name: `flotilla-logship-${run}`,
      image: IMAGE,
      labels: {
        [LABEL.taskArn]: taskArn,
        [LABEL.containerName]: "web",
        [LABEL.agentId]: agentId,
        ...awslogsLabels({
          logDriver: "awslogs",
          options: {
            "awslogs-group": "/ecs/shipping",
            "awslogs-region": "us-east-1",
            "awslogs-stream-prefix": "app",
            "awslogs-create-group": "true",
          },
        }),
      },
      command: [
        "sh",
        "-c",
        `i=0; while [ $i -lt ${LINES} ]; do i=$((i+1)); echo out-$i; echo err-$i >&2; usleep 10000; done`,
      ],
    });
  });

  afterAll(async () => {
    if (containerId) await runtime.removeContainer(containerId);
    ingest?.unsubscribe();
    await nc?.close();
    await tdb?.drop();
  });

  it("stores every line once, stamped and in order, across a shipper restart", async () => {
    const started = Date.now();
    await runtime.startContainer(containerId);
    const first = shipper();
    first.sync(await runtime.list({ [LABEL.agentId]: agentId }));
    await waitFor(async () => (await stored()).length >= 100, "the first lines stored");
    await first.stop();
    const atRestart = (await stored()).length;

    const second = shipper();
    second.sync(await runtime.list({ [LABEL.agentId]: agentId }));
    await waitFor(
      async () => (await runtime.inspect(containerId))?.status === "exited",
      "the container to finish",
      60_000,
    );
    const exited = Date.now();
    // The follower ends once the stopped container's log is shipped to its end.
    await second.whenDrained();
    const rows = await stored();
    console.log(
      `stored ${rows.length} lines; ${atRestart} before the restart; container ran ${exited - started} ms; all shipped ${Date.now() - exited} ms after it exited`,
    );

    const messages = rows.map((r) => r.message);
    expect(new Set(messages).size).toBe(messages.length);
    expect(messages).toHaveLength(2 * LINES);
    const out = messages.filter((m) => m.startsWith("out-")).map((m) => Number(m.slice(4)));
    const err = messages.filter((m) => m.startsWith("err-")).map((m) => Number(m.slice(4)));
    expect(out).toEqual(Array.from({ length: LINES }, (_, i) => i + 1));
    expect(err).toEqual(Array.from({ length: LINES }, (_, i) => i + 1));
    // Stamped by the engine while the container ran, not when shipped.
    const times = rows.map((r) => Number(r.event_time));
    expect(times[0]!).toBeGreaterThanOrEqual(started - 5_000);
    expect(times[times.length - 1]!).toBeLessThanOrEqual(exited + 1_000);

    // A third shipper (another restart, container stopped) ships nothing new.
    const third = shipper();
    third.sync(await runtime.list({ [LABEL.agentId]: agentId }));
    await third.whenDrained();
    expect(await stored()).toHaveLength(2 * LINES);
    await second.stop();
    await third.stop();
  });

  it("stores a batch sent twice (its reply lost, so the agent resent it) once", async () => {
    const sink = natsLogSink({ nc, prefix, agentId, timeoutMs: 5_000 });
    const now = BigInt(Date.now()) * 1_000_000n;
    const batch = {
      taskArn,
      containerName: "web",
      logGroupName: "/ecs/shipping",
      logStreamName: "resent",
      createGroup: true,
      events: [1n, 2n, 3n].map((i) => ({ sourceTimeNs: (now + i).toString(), message: `r${i}` })),
    };
    expect(await sink.ship(batch)).toEqual({ cursorNs: (now + 3n).toString(), stored: 3 });
    expect(await sink.ship(batch)).toEqual({ cursorNs: (now + 3n).toString(), stored: 0 });
    const rows = await sql<{ n: string }>`
      SELECT count(*) AS n FROM log_events e JOIN log_streams s ON s.stream_id = e.stream_id
       WHERE s.log_stream_name = 'resent'`.execute(tdb.db);
    expect(Number(rows.rows[0]!.n)).toBe(3);
  });

  it("refuses lines of a task that is not the agent's", async () => {
    const sink = natsLogSink({ nc, prefix, agentId: "i-intruder", timeoutMs: 5_000 });
    await expect(
      sink.ship({
        taskArn,
        containerName: "web",
        logGroupName: "/ecs/shipping",
        logStreamName: `app/web/${taskId}`,
        createGroup: true,
        events: [{ sourceTimeNs: `${Date.now()}000000`, message: "forged" }],
      }),
    ).rejects.toThrow(/AccessDeniedException/);
  });
});
