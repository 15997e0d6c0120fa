import type { NatsConnection } from "@nats-io/nats-core";
import { connect } from "@nats-io/transport-node";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startAutoscaler } from "../../../services/autoscaler/autoscaler.js";
import { startMetricRetention } from "../../../services/autoscaler/metrics/index.js";
import { CommandClient } from "../../../shared/bus/index.js";
import { PutMetricData } from "../../../shared/commands/autoscaler/index.js";
import { silentLogger } from "../../../shared/log/index.js";
import { postgresMetricSource } from "../../../shared/metrics/index.js";
import { createTestDatabase, type TestDatabase } from "../../fixtures/database.js";
import { natsUrl, testPrefix } from "../../fixtures/nats.js";

const META = { actor: "test", correlationId: "c1", requestId: "r1" };
const HOUR = 3_600_000;

describe("PutMetricData served by the autoscaler, and its retention loop", () => {
  let tdb: TestDatabase;
  let nc: NatsConnection;
  let autoscaler: ReturnType<typeof startAutoscaler>;
  let client: CommandClient;
  // The virtual clock: the autoscaler judges a datum's age by it.
  let now = new Date("2026-11-26T12:00:00Z");

  beforeAll(async () => {
    tdb = await createTestDatabase("putmetric");
    nc = await connect({ servers: natsUrl() });
    const prefix = testPrefix("pmd");
    autoscaler = startAutoscaler({
      db: tdb.db,
      nc,
      prefix,
      arn: { region: "us-east-1", accountId: "000000000000" },
      log: silentLogger,
      clock: () => now,
    });
    client = new CommandClient(nc, prefix);
  });
  afterAll(async () => {
    await autoscaler?.stop();
    await nc?.close();
    await tdb?.drop();
  });

  it("stores datums as telemetry (no events) and refuses them by the autoscaler's clock", async () => {
    const reply = await client.send(
      PutMetricData,
      {
        namespace: "App",
        metricData: [0, 1, 2].map((i) => ({
          metricName: "Jobs",
          dimensions: [{ name: "Queue", value: "q" }],
          timestamp: new Date(now.getTime() - 30 * 60_000 + i * 1000),
          value: i,
          unit: "Count" as const,
          storageResolution: 1 as const,
        })),
      },
      META,
    );
    expect(reply).toEqual({ datapoints: 3 });
    const events = await sql<{ n: number }>`SELECT count(*)::int AS n FROM events`.execute(tdb.db);
    expect(events.rows[0]!.n).toBe(0);

    const old = client.send(
      PutMetricData,
      {
        namespace: "App",
        metricData: [
          {
            metricName: "Jobs",
            dimensions: [],
            timestamp: new Date(now.getTime() - 15 * 24 * HOUR),
            value: 1,
            unit: "None",
            storageResolution: 60,
          },
        ],
      },
      META,
    );
    await expect(old).rejects.toMatchObject({
      type: "InvalidParameterValue",
      message: expect.stringContaining("MetricData.member.1.Timestamp") as unknown,
    });
    await expect(
      client.send(
        PutMetricData,
        {
          namespace: "AWS/ECS",
          metricData: [
            {
              metricName: "x",
              dimensions: [],
              timestamp: now,
              value: 1,
              unit: "None",
              storageResolution: 60,
            },
          ],
        },
        META,
      ),
    ).rejects.toMatchObject({ type: "InvalidParameterValue" });
  });

  it("the retention loop rolls 1 s data up to 1 min once it is past 3 hours", async () => {
    const retention = startMetricRetention(autoscaler.ctx, { autoRun: false });
    try {
      const first = await retention.runOnce();
      expect(first.rolledUp.find((r) => r.granularity === 1)?.read).toBe(0);
      now = new Date(now.getTime() + 5 * HOUR);
      const second = await retention.runOnce();
      expect(second.rolledUp.find((r) => r.granularity === 1)).toMatchObject({
        read: 3,
        written: 1,
      });
      expect(second.dropped).toContain("metric_datapoints_1_2026112611");
      const points = await postgresMetricSource(tdb.db).series({
        metric: {
          namespace: "App",
          metricName: "Jobs",
          dimensions: [{ name: "Queue", value: "q" }],
        },
        stat: "Sum",
        period: 60,
        start: new Date("2026-11-26T11:00:00Z"),
        end: new Date("2026-11-26T12:00:00Z"),
      });
      expect(points).toEqual([
        { timestamp: new Date("2026-11-26T11:30:00Z"), value: 3, sampleCount: 3 },
      ]);
    } finally {
      await retention.stop();
    }
  });
});
