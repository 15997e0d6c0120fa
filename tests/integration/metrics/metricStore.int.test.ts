import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createPartitionsAhead,
  dropExpiredPartitions,
  insertMetricData,
  InMemoryMetricStore,
  listMetrics,
  metricAggregates,
  postgresMetricSource,
  rollUpMetrics,
  statisticOf,
  type MetricDatumInput,
  type MetricId,
} from "../../../shared/metrics/index.js";
import { createTestDatabase, type TestDatabase } from "../../fixtures/database.js";

const NS = "Flotilla/Test";
const at = (iso: string) => new Date(iso);
const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

const partitions = async (t: TestDatabase): Promise<string[]> => {
  const r = await sql<{ relname: string }>`
    SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
     JOIN pg_class p ON p.oid = i.inhparent
    WHERE p.relname LIKE 'metric_datapoints_%' ORDER BY 1`.execute(t.db);
  return r.rows.map((x) => x.relname);
};

describe("metric store in Postgres", () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase("metrics");
  });
  afterAll(async () => {
    await t.drop();
  });

  it("ingests datums and answers statistics per aligned period, like the in-memory store", async () => {
    const now = at("2026-11-26T12:00:30Z");
    const metric: MetricId = {
      namespace: NS,
      metricName: "Latency",
      dimensions: [
        { name: "Service", value: "web" },
        { name: "Cluster", value: "prod" },
      ],
    };
    const datums: MetricDatumInput[] = [
      // 11:58:10 and 11:58:50 fall in the 11:58 minute; 11:59:05 in the next one.
      {
        metricName: "Latency",
        dimensions: metric.dimensions,
        timestamp: at("2026-11-26T11:58:10Z"),
        value: 10,
        unit: "Milliseconds",
      },
      {
        metricName: "Latency",
        // The same dimension set in another order is the same metric.
        dimensions: [...metric.dimensions].reverse(),
        timestamp: at("2026-11-26T11:58:50Z"),
        values: [20, 30],
        counts: [3, 1],
        unit: "Milliseconds",
      },
      {
        metricName: "Latency",
        dimensions: metric.dimensions,
        timestamp: at("2026-11-26T11:59:05Z"),
        statisticValues: { sampleCount: 4, sum: 100, minimum: 5, maximum: 60 },
        unit: "Milliseconds",
      },
    ];
    const memory = new InMemoryMetricStore();
    memory.put(NS, datums);
    expect(await insertMetricData(t.db, NS, datums, now)).toEqual({ datapoints: 3 });

    const query = {
      metric,
      period: 60,
      start: at("2026-11-26T11:58:30Z"), // aligned down to 11:58
      end: at("2026-11-26T12:00:00Z"),
      byUnit: true,
      withDistribution: true,
    };
    const rows = await metricAggregates(t.db, query);
    expect(rows.map((r) => [r.timestamp.toISOString(), r.unit])).toEqual([
      ["2026-11-26T11:58:00.000Z", "Milliseconds"],
      ["2026-11-26T11:59:00.000Z", "Milliseconds"],
    ]);
    const first = rows[0]!.aggregate;
    expect(statisticOf(first, "SampleCount")).toBe(5);
    expect(statisticOf(first, "Sum")).toBe(10 + 60 + 30);
    expect(statisticOf(first, "Average")).toBe(20);
    expect(statisticOf(first, "Minimum")).toBe(10);
    expect(statisticOf(first, "Maximum")).toBe(30);
    expect(statisticOf(first, "p50")).toBe(20);
    expect(statisticOf(first, "p99")).toBe(30);
    // A statistic set with distinct values has no percentiles.
    expect(statisticOf(rows[1]!.aggregate, "p50")).toBeUndefined();
    expect(statisticOf(rows[1]!.aggregate, "Maximum")).toBe(60);
    expect(await memory.aggregates(query)).toEqual(rows);

    const series = await postgresMetricSource(t.db).series({
      metric,
      stat: "Average",
      period: 120,
      start: at("2026-11-26T11:58:00Z"),
      end: at("2026-11-26T12:00:00Z"),
    });
    expect(series).toEqual([
      { timestamp: at("2026-11-26T11:58:00Z"), value: 200 / 9, sampleCount: 9 },
    ]);
    expect(
      await memory.series({
        metric,
        stat: "Average",
        period: 120,
        start: query.start,
        end: query.end,
      }),
    ).toEqual(series);

    // Unit filter and a unit no datum has.
    expect(await metricAggregates(t.db, { ...query, unit: "Seconds", byUnit: false })).toEqual([]);
  });

  it("keeps high-resolution data at 1 s and standard data at 1 min", async () => {
    const now = at("2026-11-26T12:00:00Z");
    const hi: MetricId = { namespace: NS, metricName: "Hi", dimensions: [] };
    const std: MetricId = { namespace: NS, metricName: "Std", dimensions: [] };
    const datums = (name: string, resolution: 1 | 60): MetricDatumInput[] =>
      [1, 12, 25, 41].map((s, i) => ({
        metricName: name,
        timestamp: new Date(at("2026-11-26T11:59:00Z").getTime() + s * SECOND),
        value: i + 1,
        storageResolution: resolution,
      }));
    await insertMetricData(t.db, NS, [...datums("Hi", 1), ...datums("Std", 60)], now);
    const q = (metric: MetricId) => ({
      metric,
      stat: "Sum",
      period: 10,
      start: at("2026-11-26T11:59:00Z"),
      end: at("2026-11-26T12:00:00Z"),
    });
    const source = postgresMetricSource(t.db);
    expect((await source.series(q(hi))).map((p) => [p.timestamp.toISOString(), p.value])).toEqual([
      ["2026-11-26T11:59:00.000Z", 1],
      ["2026-11-26T11:59:10.000Z", 2],
      ["2026-11-26T11:59:20.000Z", 3],
      ["2026-11-26T11:59:40.000Z", 4],
    ]);
    // Standard resolution: every datum belongs to its minute.
    expect((await source.series(q(std))).map((p) => [p.timestamp.toISOString(), p.value])).toEqual([
      ["2026-11-26T11:59:00.000Z", 10],
    ]);
  });

  it("concurrent writers of the same new metrics, in any order, make one series each and lose nothing", async () => {
    const now = at("2026-11-26T12:00:00Z");
    const names = ["c1", "c2", "c3", "c4"];
    await Promise.all(
      Array.from({ length: 8 }, (_, w) =>
        insertMetricData(
          t.db,
          "Flotilla/Race",
          (w % 2 === 0 ? names : [...names].reverse()).map((n) => ({
            metricName: n,
            dimensions: [{ name: "W", value: "x" }],
            timestamp: now,
            value: 1,
          })),
          // Far enough apart that every writer also marks the series as seen.
          new Date(now.getTime() + w * 2 * MINUTE),
        ),
      ),
    );
    const series = await listMetrics(t.db, {
      namespace: "Flotilla/Race",
      activeSince: new Date(0),
      limit: 100,
    });
    expect(series.map((m) => m.metricName).sort()).toEqual(names);
    const sums = await Promise.all(
      names.map((n) =>
        postgresMetricSource(t.db).series({
          metric: {
            namespace: "Flotilla/Race",
            metricName: n,
            dimensions: [{ name: "W", value: "x" }],
          },
          stat: "SampleCount",
          period: 60,
          start: now,
          end: new Date(now.getTime() + MINUTE),
        }),
      ),
    );
    expect(sums.map((s) => s[0]?.value)).toEqual([8, 8, 8, 8]);
  });

  it("lists metrics by namespace, name, dimension and recent activity", async () => {
    const now = at("2026-11-26T12:00:00Z");
    await insertMetricData(
      t.db,
      "Flotilla/List",
      [
        { metricName: "A", dimensions: [{ name: "Host", value: "h1" }], timestamp: now, value: 1 },
        { metricName: "A", dimensions: [{ name: "Host", value: "h2" }], timestamp: now, value: 1 },
        { metricName: "B", dimensions: [{ name: "Disk", value: "d1" }], timestamp: now, value: 1 },
      ],
      now,
    );
    await insertMetricData(
      t.db,
      "Flotilla/List",
      [{ metricName: "Old", timestamp: new Date(now.getTime() - 5 * HOUR), value: 1 }],
      new Date(now.getTime() - 5 * HOUR),
    );
    const list = (q: Partial<Parameters<typeof listMetrics>[1]>) =>
      listMetrics(t.db, {
        namespace: "Flotilla/List",
        activeSince: new Date(now.getTime() - 14 * DAY),
        limit: 100,
        ...q,
      });
    expect((await list({})).map((m) => m.metricName)).toEqual(["A", "A", "B", "Old"]);
    expect(
      (await list({ activeSince: new Date(now.getTime() - 3 * HOUR) })).map((m) => m.metricName),
    ).toEqual(["A", "A", "B"]);
    expect(await list({ dimensions: [{ name: "Host", value: "h2" }] })).toMatchObject([
      { metricName: "A", dimensions: [{ name: "Host", value: "h2" }] },
    ]);
    expect((await list({ dimensions: [{ name: "Host" }] })).length).toBe(2);
    expect((await list({ metricName: "B" })).length).toBe(1);
    const page1 = await list({ limit: 2 });
    const page2 = await list({ limit: 2, after: page1[1]!.seriesId });
    expect([...page1, ...page2].map((m) => m.metricName)).toEqual(["A", "A", "B", "Old"]);
  });
});

describe("metric retention on an injected clock", () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase("metricret");
  });
  afterAll(async () => {
    await t.drop();
  });

  it("rolls 1 s data up to 1 min after 3 h and drops the rolled partitions whole", async () => {
    const t0 = at("2026-11-26T10:00:00Z");
    const metric: MetricId = {
      namespace: NS,
      metricName: "Burst",
      dimensions: [{ name: "Id", value: "x" }],
    };
    // Two minutes of high-resolution data, every 5 s, values 1..24.
    const datums: MetricDatumInput[] = Array.from({ length: 24 }, (_, i) => ({
      metricName: "Burst",
      dimensions: metric.dimensions,
      timestamp: new Date(t0.getTime() + i * 5 * SECOND),
      value: i + 1,
      storageResolution: 1,
    }));
    await insertMetricData(t.db, NS, datums, t0);
    await createPartitionsAhead(t.db, t0);
    const before = await partitions(t);
    expect(before).toContain("metric_datapoints_1_2026112610");

    const read = (period: number) =>
      postgresMetricSource(t.db).aggregates({
        metric,
        period,
        start: t0,
        end: new Date(t0.getTime() + 2 * MINUTE),
        byUnit: false,
        withDistribution: true,
      });
    const fine = await read(60);

    // Two hours later nothing is due yet.
    const early = await rollUpMetrics(t.db, new Date(t0.getTime() + 2 * HOUR));
    expect(early.find((r) => r.granularity === 1)!.read).toBe(0);

    // Past 3 h (and the margin), the 1 s rows become 1 min rows; the partition of
    // 10:00–11:00 goes once the roll-up mark (now − 3 h − 10 min) has passed its end.
    const later = new Date(t0.getTime() + 5 * HOUR);
    const rolled = await rollUpMetrics(t.db, later);
    expect(rolled.find((r) => r.granularity === 1)).toMatchObject({ read: 24, written: 2 });
    // A second pass finds nothing new: no double counting.
    expect((await rollUpMetrics(t.db, later)).find((r) => r.granularity === 1)!.read).toBe(0);

    const coarse = await read(60);
    expect(
      coarse.map((r) => [r.timestamp.toISOString(), r.aggregate.sampleCount, r.aggregate.sum]),
    ).toEqual(
      fine.map((r) => [r.timestamp.toISOString(), r.aggregate.sampleCount, r.aggregate.sum]),
    );
    expect(statisticOf(coarse[0]!.aggregate, "p50")).toBe(statisticOf(fine[0]!.aggregate, "p50"));
    // Periods under a minute now come from 1 min rows only.
    expect((await read(10)).map((r) => r.timestamp.toISOString())).toEqual([
      "2026-11-26T10:00:00.000Z",
      "2026-11-26T10:01:00.000Z",
    ]);

    const { dropped } = await dropExpiredPartitions(t.db, later);
    expect(dropped).toContain("metric_datapoints_1_2026112610");
    expect(await partitions(t)).not.toContain("metric_datapoints_1_2026112610");
    expect((await read(60)).map((r) => r.aggregate.sum)).toEqual(fine.map((r) => r.aggregate.sum));

    // 15 days on, 1 min rows become 5 min rows; a 1-minute period then finds nothing,
    // a 5-minute one finds the samples.
    const muchLater = new Date(t0.getTime() + 16 * DAY);
    await rollUpMetrics(t.db, muchLater);
    await dropExpiredPartitions(t.db, muchLater);
    expect(await partitions(t)).not.toContain("metric_datapoints_60_2026112600");
    expect(await read(60)).toEqual([]);
    const five = await read(300);
    expect(five.map((r) => [r.aggregate.sampleCount, r.aggregate.sum])).toEqual([[24, 300]]);
  });

  it("sends data older than a granularity's retention straight to a coarser one", async () => {
    const now = at("2026-12-20T12:00:00Z");
    const metric: MetricId = { namespace: NS, metricName: "Late", dimensions: [] };
    await insertMetricData(
      t.db,
      NS,
      [
        {
          metricName: "Late",
          timestamp: new Date(now.getTime() - 5 * HOUR + 7 * SECOND),
          value: 7,
          storageResolution: 1,
        },
      ],
      now,
    );
    const rows = await sql<{ granularity: number; ts: Date }>`
      SELECT granularity, ts FROM metric_datapoints d JOIN metric_series s USING (series_id)
       WHERE s.metric_name = 'Late'`.execute(t.db);
    expect(rows.rows).toEqual([{ granularity: 60, ts: at("2026-12-20T07:00:00Z") }]);
    expect(metric.metricName).toBe("Late");
  });
});
