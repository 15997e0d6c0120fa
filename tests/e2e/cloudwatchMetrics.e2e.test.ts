import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { promisify } from "node:util";
import {
  CloudWatchClient,
  GetMetricDataCommand,
  GetMetricStatisticsCommand,
  InvalidParameterValueException,
  ListMetricsCommand,
  PutMetricDataCommand,
  type MetricDatum,
} from "@aws-sdk/client-cloudwatch";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestSystem, TEST_REGION, type TestSystem } from "../fixtures/system.js";

const run = promisify(execFile);
const AWS_CLI = "/usr/bin/aws";
const MINUTE = 60_000;

/** A minute boundary a little in the past, so every datum is within CloudWatch's window. */
const baseMinute = (): Date => new Date(Math.floor(Date.now() / MINUTE) * MINUTE - 10 * MINUTE);

describe("CloudWatch metrics through the AWS SDK and the AWS CLI", () => {
  let sys: TestSystem;
  let cw: CloudWatchClient;
  const encodings: (string | undefined)[] = [];

  beforeAll(async () => {
    sys = await startTestSystem("e2e_cwm");
    cw = new CloudWatchClient({
      endpoint: sys.endpoint,
      region: TEST_REGION,
      credentials: { accessKeyId: "AKIDCW", secretAccessKey: "test" },
      maxAttempts: 1,
    });
    // Records how each request went out (the SDK gzips large PutMetricData bodies).
    cw.middlewareStack.add(
      (next) => async (args) => {
        const headers = (args.request as { headers?: Record<string, string> }).headers ?? {};
        encodings.push(headers["content-encoding"]);
        return next(args);
      },
      { step: "finalizeRequest", name: "recordEncoding" },
    );
  });
  afterAll(async () => {
    cw?.destroy();
    await sys?.stop();
  });

  it("stores values, value sets and statistic sets and answers statistics and percentiles", async () => {
    const t0 = baseMinute();
    const dims = [{ Name: "Service", Value: "web" }];
    await cw.send(
      new PutMetricDataCommand({
        Namespace: "Flotilla/E2E",
        MetricData: [
          {
            MetricName: "Latency",
            Dimensions: dims,
            Timestamp: new Date(t0.getTime() + 5_000),
            Value: 10,
            Unit: "Milliseconds",
          },
          {
            MetricName: "Latency",
            Dimensions: dims,
            Timestamp: new Date(t0.getTime() + 20_000),
            Values: [20, 30, 40],
            Counts: [2, 1, 1],
            Unit: "Milliseconds",
          },
          {
            MetricName: "Latency",
            Dimensions: dims,
            Timestamp: new Date(t0.getTime() + MINUTE + 1_000),
            StatisticValues: { SampleCount: 2, Sum: 100, Minimum: 40, Maximum: 60 },
            Unit: "Milliseconds",
          },
        ],
      }),
    );
    const stats = await cw.send(
      new GetMetricStatisticsCommand({
        Namespace: "Flotilla/E2E",
        MetricName: "Latency",
        Dimensions: dims,
        StartTime: t0,
        EndTime: new Date(t0.getTime() + 2 * MINUTE),
        Period: 60,
        Statistics: ["SampleCount", "Sum", "Average", "Minimum", "Maximum"],
      }),
    );
    expect(stats.Label).toBe("Latency");
    const points = [...(stats.Datapoints ?? [])].sort(
      (a, b) => a.Timestamp!.getTime() - b.Timestamp!.getTime(),
    );
    expect(points).toEqual([
      {
        Timestamp: t0,
        SampleCount: 5,
        Sum: 120,
        Average: 24,
        Minimum: 10,
        Maximum: 40,
        Unit: "Milliseconds",
      },
      {
        Timestamp: new Date(t0.getTime() + MINUTE),
        SampleCount: 2,
        Sum: 100,
        Average: 50,
        Minimum: 40,
        Maximum: 60,
        Unit: "Milliseconds",
      },
    ]);

    const pct = await cw.send(
      new GetMetricStatisticsCommand({
        Namespace: "Flotilla/E2E",
        MetricName: "Latency",
        Dimensions: dims,
        StartTime: t0,
        EndTime: new Date(t0.getTime() + MINUTE),
        Period: 60,
        ExtendedStatistics: ["p50", "p99.9"],
      }),
    );
    expect(pct.Datapoints).toEqual([
      { Timestamp: t0, ExtendedStatistics: { p50: 20, "p99.9": 40 }, Unit: "Milliseconds" },
    ]);

    const data = await cw.send(
      new GetMetricDataCommand({
        StartTime: t0,
        EndTime: new Date(t0.getTime() + 2 * MINUTE),
        ScanBy: "TimestampAscending",
        MetricDataQueries: [
          {
            Id: "avg",
            MetricStat: {
              Metric: { Namespace: "Flotilla/E2E", MetricName: "Latency", Dimensions: dims },
              Period: 60,
              Stat: "Average",
            },
          },
          {
            Id: "hidden",
            ReturnData: false,
            MetricStat: {
              Metric: { Namespace: "Flotilla/E2E", MetricName: "Latency", Dimensions: dims },
              Period: 60,
              Stat: "Sum",
            },
          },
        ],
      }),
    );
    expect(data.MetricDataResults).toEqual([
      {
        Id: "avg",
        Label: "Latency",
        Timestamps: [t0, new Date(t0.getTime() + MINUTE)],
        Values: [24, 50],
        StatusCode: "Complete",
      },
    ]);
  });

  it("pages GetMetricData by MaxDatapoints and lists metrics", async () => {
    const t0 = baseMinute();
    await cw.send(
      new PutMetricDataCommand({
        Namespace: "Flotilla/Paging",
        MetricData: [0, 1, 2].map((i) => ({
          MetricName: "Hits",
          Timestamp: new Date(t0.getTime() + i * 10_000),
          Value: i + 1,
          StorageResolution: 1,
        })),
      }),
    );
    const query = {
      StartTime: t0,
      EndTime: new Date(t0.getTime() + MINUTE),
      MaxDatapoints: 2,
      MetricDataQueries: [
        {
          Id: "hits",
          MetricStat: {
            Metric: { Namespace: "Flotilla/Paging", MetricName: "Hits" },
            Period: 10,
            Stat: "Sum",
          },
        },
      ],
    };
    const first = await cw.send(new GetMetricDataCommand(query));
    expect(first.MetricDataResults?.[0]).toMatchObject({
      Values: [3, 2],
      StatusCode: "PartialData",
    });
    expect(first.NextToken).toBeDefined();
    const second = await cw.send(
      new GetMetricDataCommand({ ...query, NextToken: first.NextToken }),
    );
    expect(second.MetricDataResults?.[0]).toMatchObject({ Values: [1], StatusCode: "Complete" });
    expect(second.NextToken).toBeUndefined();

    const listed = await cw.send(new ListMetricsCommand({ Namespace: "Flotilla/Paging" }));
    expect(listed.Metrics).toEqual([
      { Namespace: "Flotilla/Paging", MetricName: "Hits", Dimensions: [] },
    ]);
    const recent = await cw.send(
      new ListMetricsCommand({ Namespace: "Flotilla/Paging", RecentlyActive: "PT3H" }),
    );
    expect(recent.Metrics).toHaveLength(1);
  });

  it("takes a PutMetricData large enough to be gzipped and refuses bad input with typed errors", async () => {
    const t0 = baseMinute();
    const big: MetricDatum[] = Array.from({ length: 1000 }, (_, i) => ({
      MetricName: "Bulk",
      Dimensions: [{ Name: "Shard", Value: `shard-${i % 50}` }],
      Timestamp: new Date(t0.getTime() + (i % 60) * 1000),
      Values: [i, i + 1, i + 2],
      Counts: [1, 2, 3],
    }));
    encodings.length = 0;
    await cw.send(new PutMetricDataCommand({ Namespace: "Flotilla/Bulk", MetricData: big }));
    expect(encodings).toEqual(["gzip"]);
    const listed = await cw.send(
      new ListMetricsCommand({ Namespace: "Flotilla/Bulk", Dimensions: [{ Name: "Shard" }] }),
    );
    expect(listed.Metrics).toHaveLength(50);
    const shard0 = await cw.send(
      new GetMetricStatisticsCommand({
        Namespace: "Flotilla/Bulk",
        MetricName: "Bulk",
        Dimensions: [{ Name: "Shard", Value: "shard-0" }],
        StartTime: t0,
        EndTime: new Date(t0.getTime() + MINUTE),
        Period: 60,
        Statistics: ["SampleCount"],
      }),
    );
    expect(shard0.Datapoints?.[0]?.SampleCount).toBe(20 * 6);

    const err = await cw
      .send(
        new PutMetricDataCommand({
          Namespace: "Flotilla/Bad",
          MetricData: [
            { MetricName: "ok", Value: 1 },
            { MetricName: "tooBig", Value: 1e200 },
          ],
        }),
      )
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InvalidParameterValueException);
    expect(err).toMatchObject({
      name: "InvalidParameterValueException",
      Code: "InvalidParameterValue",
    });
    expect((err as Error).message).toContain("MetricData.member.2.Value");

    const tooMany = await cw
      .send(
        new GetMetricStatisticsCommand({
          Namespace: "Flotilla/E2E",
          MetricName: "Latency",
          StartTime: new Date(t0.getTime() - 2 * 24 * 60 * MINUTE),
          EndTime: t0,
          Period: 60,
          Statistics: ["Sum"],
        }),
      )
      .catch((e: unknown) => e);
    expect(tooMany).toMatchObject({ name: "InvalidParameterCombinationException" });
  });

  it("speaks the query protocol to the AWS CLI: put-metric-data, get-metric-statistics, list-metrics", async (ctx) => {
    if (!existsSync(AWS_CLI)) {
      if (process.env.CI) throw new Error(`${AWS_CLI} is missing: .ci/run must install awscli`);
      ctx.skip();
    }
    const aws = async (...args: string[]) => {
      const { stdout } = await run(
        AWS_CLI,
        ["cloudwatch", ...args, "--endpoint-url", sys.endpoint, "--output", "json"],
        {
          env: {
            PATH: process.env.PATH,
            HOME: process.env.HOME,
            AWS_ACCESS_KEY_ID: "AKIDCLI",
            AWS_SECRET_ACCESS_KEY: "test",
            AWS_DEFAULT_REGION: TEST_REGION,
            AWS_PAGER: "",
          },
        },
      );
      return stdout.trim() === "" ? {} : (JSON.parse(stdout) as Record<string, unknown>);
    };
    const t0 = baseMinute();
    await aws(
      "put-metric-data",
      "--namespace",
      "Flotilla/CLI",
      "--metric-data",
      JSON.stringify([
        {
          MetricName: "Queue",
          Dimensions: [{ Name: "Name", Value: "jobs" }],
          Timestamp: new Date(t0.getTime() + 1_000).toISOString(),
          Values: [5, 7],
          Counts: [1, 3],
          Unit: "Count",
        },
      ]),
    );
    const stats = await aws(
      "get-metric-statistics",
      "--namespace",
      "Flotilla/CLI",
      "--metric-name",
      "Queue",
      "--dimensions",
      "Name=Name,Value=jobs",
      "--start-time",
      t0.toISOString(),
      "--end-time",
      new Date(t0.getTime() + MINUTE).toISOString(),
      "--period",
      "60",
      "--statistics",
      "Sum",
      "Maximum",
    );
    expect(stats).toMatchObject({
      Label: "Queue",
      Datapoints: [{ Sum: 26, Maximum: 7, Unit: "Count" }],
    });
    const pct = await aws(
      "get-metric-statistics",
      "--namespace",
      "Flotilla/CLI",
      "--metric-name",
      "Queue",
      "--dimensions",
      "Name=Name,Value=jobs",
      "--start-time",
      t0.toISOString(),
      "--end-time",
      new Date(t0.getTime() + MINUTE).toISOString(),
      "--period",
      "60",
      "--extended-statistics",
      "p10",
    );
    expect(pct).toMatchObject({ Datapoints: [{ ExtendedStatistics: { p10: 5 } }] });
    const listed = await aws("list-metrics", "--namespace", "Flotilla/CLI");
    expect(listed).toEqual({
      Metrics: [
        {
          Namespace: "Flotilla/CLI",
          MetricName: "Queue",
          Dimensions: [{ Name: "Name", Value: "jobs" }],
        },
      ],
    });
    const refused = await aws(
      "put-metric-data",
      "--namespace",
      "AWS/ECS",
      "--metric-name",
      "CPUUtilization",
      "--value",
      "1",
    ).then(
      () => "",
      (e: { stderr?: string }) => e.stderr ?? "",
    );
    expect(refused).toContain("InvalidParameterValue");
  });
});
