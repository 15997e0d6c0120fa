import type { AddressInfo } from "node:net";
import {
  CloudWatchLogsClient,
  CreateLogGroupCommand,
  CreateLogStreamCommand,
  DeleteLogGroupCommand,
  DescribeLogGroupsCommand,
  DescribeLogStreamsCommand,
  FilterLogEventsCommand,
  GetLogEventsCommand,
  PutLogEventsCommand,
  PutRetentionPolicyCommand,
  paginateGetLogEvents,
} from "@aws-sdk/client-cloudwatch-logs";
import { connect, type NatsConnection } from "@nats-io/transport-node";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildApiServer } from "../../../services/api/server.js";
import { CommandClient } from "../../../shared/bus/index.js";
import { pino } from "pino";
import { expireLogEvents } from "../../../shared/logs/index.js";
import { createTestDatabase, type TestDatabase } from "../../fixtures/database.js";
import { testPrincipalDirectory } from "../../fixtures/iam.js";
import { natsUrl, testPrefix } from "../../fixtures/nats.js";

const DAY = 86_400_000;

/** The CloudWatch Logs API through the real SDK, on a real Postgres log store. */
describe("CloudWatch Logs API (SDK v3 against the api)", () => {
  let tdb: TestDatabase;
  let nc: NatsConnection;
  let app: ReturnType<typeof buildApiServer>;
  let logs: CloudWatchLogsClient;

  beforeAll(async () => {
    tdb = await createTestDatabase("logsapi");
    nc = await connect({ servers: natsUrl() });
    app = buildApiServer({
      db: tdb.db,
      commands: new CommandClient(nc, testPrefix("logsapi"), 2_000),
      arn: { region: "us-east-1", accountId: "000000000000" },
      log: pino({ level: "silent" }),
      maxBodyBytes: 4 * 1024 * 1024,
      ready: () => Promise.resolve({ ready: true, checks: {} }),
      iam: testPrincipalDirectory(),
    });
    await app.listen({ host: "127.0.0.1", port: 0 });
    const { port } = app.server.address() as AddressInfo;
    logs = new CloudWatchLogsClient({
      endpoint: `http://127.0.0.1:${port}`,
      region: "us-east-1",
      credentials: { accessKeyId: "AKIDTEST", secretAccessKey: "test" },
    });
  });

  afterAll(async () => {
    logs?.destroy();
    await app?.close();
    await nc?.close();
    await tdb?.drop();
  });

  it("creates, lists and refuses to create twice a log group", async () => {
    await logs.send(new CreateLogGroupCommand({ logGroupName: "/ecs/a" }));
    await logs.send(new CreateLogGroupCommand({ logGroupName: "/ecs/b" }));
    await logs.send(new CreateLogGroupCommand({ logGroupName: "/other" }));
    await expect(
      logs.send(new CreateLogGroupCommand({ logGroupName: "/ecs/a" })),
    ).rejects.toMatchObject({
      name: "ResourceAlreadyExistsException",
    });
    const first = await logs.send(
      new DescribeLogGroupsCommand({ logGroupNamePrefix: "/ecs/", limit: 1 }),
    );
    expect(first.logGroups?.map((g) => g.logGroupName)).toEqual(["/ecs/a"]);
    expect(first.logGroups?.[0]?.arn).toBe(
      "arn:aws:logs:us-east-1:000000000000:log-group:/ecs/a:*",
    );
    const second = await logs.send(
      new DescribeLogGroupsCommand({
        logGroupNamePrefix: "/ecs/",
        limit: 1,
        nextToken: first.nextToken!,
      }),
    );
    expect(second.logGroups?.map((g) => g.logGroupName)).toEqual(["/ecs/b"]);
    expect(second.nextToken).toBeUndefined();
  });

  it("stores PutLogEvents and reads them back with GetLogEvents, both ways and paged", async () => {
    await logs.send(new CreateLogStreamCommand({ logGroupName: "/ecs/a", logStreamName: "s1" }));
    await expect(
      logs.send(new CreateLogStreamCommand({ logGroupName: "/nope", logStreamName: "s1" })),
    ).rejects.toMatchObject({ name: "ResourceNotFoundException" });
    const t0 = Date.now() - 60_000;
    const put = await logs.send(
      new PutLogEventsCommand({
        logGroupName: "/ecs/a",
        logStreamName: "s1",
        logEvents: Array.from({ length: 25 }, (_, i) => ({ timestamp: t0 + i, message: `m${i}` })),
      }),
    );
    expect(put.rejectedLogEventsInfo).toBeUndefined();
    await expect(
      logs.send(
        new PutLogEventsCommand({
          logGroupName: "/ecs/a",
          logStreamName: "s1",
          logEvents: [
            { timestamp: t0 + 5, message: "b" },
            { timestamp: t0, message: "a" },
          ],
        }),
      ),
    ).rejects.toMatchObject({ name: "InvalidParameterException" });

    const newest = await logs.send(
      new GetLogEventsCommand({ logGroupName: "/ecs/a", logStreamName: "s1", limit: 10 }),
    );
    expect(newest.events?.map((e) => e.message)).toEqual(
      Array.from({ length: 10 }, (_, i) => `m${i + 15}`),
    );
    const older = await logs.send(
      new GetLogEventsCommand({
        logGroupName: "/ecs/a",
        logStreamName: "s1",
        limit: 10,
        nextToken: newest.nextBackwardToken!,
      }),
    );
    expect(older.events?.[0]?.message).toBe("m5");

    const all: string[] = [];
    for await (const page of paginateGetLogEvents(
      { client: logs, pageSize: 7, stopOnSameToken: true },
      { logGroupName: "/ecs/a", logStreamName: "s1", startFromHead: true },
    )) {
      all.push(...(page.events ?? []).map((e) => e.message!));
    }
    expect(all).toEqual(Array.from({ length: 25 }, (_, i) => `m${i}`));

    const streams = await logs.send(new DescribeLogStreamsCommand({ logGroupName: "/ecs/a" }));
    expect(streams.logStreams?.[0]).toMatchObject({
      logStreamName: "s1",
      firstEventTimestamp: t0,
      lastEventTimestamp: t0 + 24,
    });
  });

  it("filters a group's streams interleaved by time, with term patterns and paging", async () => {
    await logs.send(
      new CreateLogStreamCommand({ logGroupName: "/ecs/b", logStreamName: "web/app/1" }),
    );
    await logs.send(
      new CreateLogStreamCommand({ logGroupName: "/ecs/b", logStreamName: "web/app/2" }),
    );
    const t0 = Date.now() - 30_000;
    for (const [stream, offset] of [
      ["web/app/1", 0],
      ["web/app/2", 1],
    ] as const) {
      await logs.send(
        new PutLogEventsCommand({
          logGroupName: "/ecs/b",
          logStreamName: stream,
          logEvents: Array.from({ length: 5 }, (_, i) => ({
            timestamp: t0 + i * 10 + offset,
            message: `${i % 2 === 0 ? "ERROR" : "INFO"} ${stream} ${i}`,
          })),
        }),
      );
    }
    const all = await logs.send(
      new FilterLogEventsCommand({ logGroupName: "/ecs/b", startTime: t0, interleaved: true }),
    );
    expect(all.events?.map((e) => e.timestamp)).toEqual(
      [...(all.events ?? [])].map((e) => e.timestamp).sort((a, b) => a! - b!),
    );
    expect(all.events).toHaveLength(10);
    expect(new Set(all.events?.map((e) => e.eventId)).size).toBe(10);

    const errors = await logs.send(
      new FilterLogEventsCommand({ logGroupName: "/ecs/b", filterPattern: "ERROR -app/2" }),
    );
    expect(errors.events?.map((e) => e.message)).toEqual([
      "ERROR web/app/1 0",
      "ERROR web/app/1 2",
      "ERROR web/app/1 4",
    ]);

    const paged: string[] = [];
    let token: string | undefined;
    do {
      const page = await logs.send(
        new FilterLogEventsCommand({
          logGroupName: "/ecs/b",
          logStreamNames: ["web/app/2"],
          limit: 2,
          ...(token ? { nextToken: token } : {}),
        }),
      );
      paged.push(...(page.events ?? []).map((e) => e.message!));
      token = page.nextToken;
    } while (token);
    expect(paged).toEqual(
      Array.from({ length: 5 }, (_, i) => `${i % 2 === 0 ? "ERROR" : "INFO"} web/app/2 ${i}`),
    );

    await expect(
      logs.send(
        new FilterLogEventsCommand({ logGroupName: "/ecs/b", filterPattern: "{ $.a = 1 }" }),
      ),
    ).rejects.toMatchObject({ name: "InvalidParameterException" });
  });

  it("applies retention: expired rows are deleted and whole expired day partitions dropped", async () => {
    await expect(
      logs.send(new PutRetentionPolicyCommand({ logGroupName: "/other", retentionInDays: 2 })),
    ).rejects.toMatchObject({ name: "InvalidParameterException" });
    await logs.send(new CreateLogGroupCommand({ logGroupName: "/short" }));
    await logs.send(new CreateLogStreamCommand({ logGroupName: "/short", logStreamName: "s" }));
    const old = Date.now() - 10 * DAY;
    await logs.send(
      new PutLogEventsCommand({
        logGroupName: "/short",
        logStreamName: "s",
        logEvents: [{ timestamp: old, message: "ancient" }],
      }),
    );
    await logs.send(new PutRetentionPolicyCommand({ logGroupName: "/short", retentionInDays: 1 }));
    const groups = await logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: "/short" }));
    expect(groups.logGroups?.[0]?.retentionInDays).toBe(1);

    const result = await expireLogEvents(tdb.db, Date.now());
    console.log("retention pass", result);
    const left = await logs.send(
      new GetLogEventsCommand({ logGroupName: "/short", logStreamName: "s", startFromHead: true }),
    );
    expect(left.events).toEqual([]);
    // The old day held only /short's event, and /short keeps one day: the partition is gone.
    const oldDay = new Date(Math.floor(old / DAY) * DAY)
      .toISOString()
      .slice(0, 10)
      .replaceAll("-", "");
    const parts = await sql<{ relname: string }>`
      SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
       WHERE i.inhparent = 'log_events'::regclass`.execute(tdb.db);
    expect(parts.rows.map((r) => r.relname)).not.toContain(`log_events_p${oldDay}`);
    expect(result.dropped).toContain(`log_events_p${oldDay}`);
  });

  it("takes full PutLogEvents batches and filters them (measured, printed)", async () => {
    await logs.send(new CreateLogGroupCommand({ logGroupName: "/bulk" }));
    await logs.send(new CreateLogStreamCommand({ logGroupName: "/bulk", logStreamName: "s" }));
    const t0 = Date.now() - 3_600_000;
    const batches = 5;
    const started = performance.now();
    for (let b = 0; b < batches; b++) {
      await logs.send(
        new PutLogEventsCommand({
          logGroupName: "/bulk",
          logStreamName: "s",
          logEvents: Array.from({ length: 10_000 }, (_, i) => ({
            timestamp: t0 + b * 10_000 + i,
            message: `${b === 3 && i === 1234 ? "NEEDLE" : "hay"} request ${i} took ${i % 97} ms from 10.0.0.${i % 250}`,
          })),
        }),
      );
    }
    const putMs = performance.now() - started;
    const searchStart = performance.now();
    const found = await logs.send(
      new FilterLogEventsCommand({ logGroupName: "/bulk", filterPattern: "NEEDLE", startTime: t0 }),
    );
    const searchMs = performance.now() - searchStart;
    console.log(
      `PutLogEvents: ${batches} × 10000 events in ${putMs.toFixed(0)} ms (${Math.round((batches * 10_000) / (putMs / 1000))} events/s); FilterLogEvents for one term over ${batches * 10_000}: ${searchMs.toFixed(0)} ms`,
    );
    expect(found.events?.map((e) => e.message)).toEqual([
      "NEEDLE request 1234 took 70 ms from 10.0.0.234",
    ]);
  });

  it("deletes a group with its streams and events", async () => {
    await logs.send(new DeleteLogGroupCommand({ logGroupName: "/ecs/a" }));
    await expect(
      logs.send(new GetLogEventsCommand({ logGroupName: "/ecs/a", logStreamName: "s1" })),
    ).rejects.toMatchObject({ name: "ResourceNotFoundException" });
    await expect(
      logs.send(new DeleteLogGroupCommand({ logGroupName: "/ecs/a" })),
    ).rejects.toMatchObject({
      name: "ResourceNotFoundException",
    });
    const rows = await sql<{
      n: string;
    }>`SELECT count(*) AS n FROM log_events WHERE message LIKE 'm%'`.execute(tdb.db);
    expect(Number(rows.rows[0]!.n)).toBe(0);
  });
});
