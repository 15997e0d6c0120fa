import { describe, expect, it } from "vitest";
import { getMetricData } from "../../../../services/api/cloudwatch/actions/getMetricData.js";
import { getMetricStatistics } from "../../../../services/api/cloudwatch/actions/getMetricStatistics.js";
import { listMetrics } from "../../../../services/api/cloudwatch/actions/listMetrics.js";
import { putMetricData } from "../../../../services/api/cloudwatch/actions/putMetricData.js";
import { nestParams, parseForm } from "../../../../services/api/protocol/query/form.js";
import { parseInput, type Action } from "../../../../services/api/protocol/action.js";

/** The query protocol's body as the AWS CLI sends it, nested as the server nests it. */
const query = (body: Record<string, string>) =>
  nestParams(parseForm(new URLSearchParams(body).toString()));

const refusal = (action: Action, body: unknown) => {
  try {
    parseInput(action, body);
  } catch (e) {
    return { type: (e as { type: string }).type, message: (e as Error).message };
  }
  return undefined;
};

describe("CloudWatch metric actions read both wire forms alike", () => {
  it("PutMetricData: JSON 1.0 and the query protocol give the same input", () => {
    const json = parseInput(putMetricData as Action, {
      Namespace: "App",
      MetricData: [
        {
          MetricName: "Latency",
          Dimensions: [{ Name: "Host", Value: "a" }],
          Timestamp: 1_764_158_400,
          Values: [1.5, 2],
          Counts: [3, 1],
          StatisticValues: undefined,
          Unit: "Milliseconds",
          StorageResolution: 1,
        },
        { MetricName: "Hits", StatisticValues: { SampleCount: 2, Sum: 3, Minimum: 1, Maximum: 2 } },
      ],
    });
    const form = parseInput(
      putMetricData as Action,
      query({
        Namespace: "App",
        "MetricData.member.1.MetricName": "Latency",
        "MetricData.member.1.Dimensions.member.1.Name": "Host",
        "MetricData.member.1.Dimensions.member.1.Value": "a",
        "MetricData.member.1.Timestamp": "2025-11-26T12:00:00Z",
        "MetricData.member.1.Values.member.1": "1.5",
        "MetricData.member.1.Values.member.2": "2",
        "MetricData.member.1.Counts.member.1": "3",
        "MetricData.member.1.Counts.member.2": "1",
        "MetricData.member.1.Unit": "Milliseconds",
        "MetricData.member.1.StorageResolution": "1",
        "MetricData.member.2.MetricName": "Hits",
        "MetricData.member.2.StatisticValues.SampleCount": "2",
        "MetricData.member.2.StatisticValues.Sum": "3",
        "MetricData.member.2.StatisticValues.Minimum": "1",
        "MetricData.member.2.StatisticValues.Maximum": "2",
      }),
    );
    expect(form).toEqual(json);
    expect((json as { MetricData: { Timestamp: Date }[] }).MetricData[0]!.Timestamp).toEqual(
      new Date("2025-11-26T12:00:00Z"),
    );
  });

  it("reads NaN and Infinity as numbers so the limits refuse them by name", () => {
    const parsed = parseInput(putMetricData as Action, {
      Namespace: "App",
      MetricData: [
        { MetricName: "x", Value: "NaN" },
        { MetricName: "y", Value: "-Infinity" },
      ],
    }) as { MetricData: { Value: number }[] };
    expect(parsed.MetricData.map((d) => d.Value)).toEqual([Number.NaN, -Infinity]);
  });

  it("names a bad field as the query protocol does, with CloudWatch's codes", () => {
    expect(
      refusal(putMetricData as Action, {
        Namespace: "App",
        MetricData: [
          { MetricName: "ok", Value: 1 },
          { MetricName: "bad", Value: "lots" },
        ],
      }),
    ).toMatchObject({
      type: "InvalidParameterValue",
      message: expect.stringContaining("MetricData.member.2.Value") as unknown,
    });
    expect(
      refusal(putMetricData as Action, query({ "MetricData.member.1.MetricName": "x" })),
    ).toEqual({ type: "MissingParameter", message: "The parameter Namespace is required." });
    expect(
      refusal(
        putMetricData as Action,
        query({
          Namespace: "App",
          "MetricData.member.1.MetricName": "x",
          "MetricData.member.1.Unit": "Parsecs",
        }),
      ),
    ).toMatchObject({
      type: "InvalidParameterValue",
      message: expect.stringContaining("MetricData.member.1.Unit") as unknown,
    });
  });

  it("GetMetricStatistics: epoch seconds and ISO 8601, lists in both forms", () => {
    const body = {
      Namespace: "App",
      MetricName: "Latency",
      Dimensions: [{ Name: "Host", Value: "a" }],
      StartTime: 1_764_158_400,
      EndTime: 1_764_162_000.5,
      Period: 60,
      Statistics: ["Average", "Maximum"],
    };
    const json = parseInput(getMetricStatistics as Action, body);
    const form = parseInput(
      getMetricStatistics as Action,
      query({
        Namespace: "App",
        MetricName: "Latency",
        "Dimensions.member.1.Name": "Host",
        "Dimensions.member.1.Value": "a",
        StartTime: "2025-11-26T12:00:00Z",
        EndTime: "2025-11-26T13:00:00.500Z",
        Period: "60",
        "Statistics.member.1": "Average",
        "Statistics.member.2": "Maximum",
      }),
    );
    expect(form).toEqual(json);
    expect(
      refusal(getMetricStatistics as Action, { ...body, Statistics: ["Median"] }),
    ).toMatchObject({
      type: "InvalidParameterValue",
      message: expect.stringContaining("Statistics.member.1") as unknown,
    });
  });

  it("GetMetricData and ListMetrics: nested queries, booleans and filters in both forms", () => {
    const json = parseInput(getMetricData as Action, {
      StartTime: 1_764_158_400,
      EndTime: 1_764_162_000,
      MaxDatapoints: 10,
      MetricDataQueries: [
        {
          Id: "q1",
          ReturnData: false,
          MetricStat: {
            Metric: { Namespace: "App", MetricName: "Hits" },
            Period: 300,
            Stat: "p99",
          },
        },
      ],
    });
    const form = parseInput(
      getMetricData as Action,
      query({
        StartTime: "1764158400",
        EndTime: "1764162000",
        MaxDatapoints: "10",
        "MetricDataQueries.member.1.Id": "q1",
        "MetricDataQueries.member.1.ReturnData": "false",
        "MetricDataQueries.member.1.MetricStat.Metric.Namespace": "App",
        "MetricDataQueries.member.1.MetricStat.Metric.MetricName": "Hits",
        "MetricDataQueries.member.1.MetricStat.Period": "300",
        "MetricDataQueries.member.1.MetricStat.Stat": "p99",
      }),
    );
    expect(form).toEqual(json);
    const list = parseInput(
      listMetrics as Action,
      query({ Namespace: "App", "Dimensions.member.1.Name": "Host", RecentlyActive: "PT3H" }),
    );
    expect(list).toEqual({
      Namespace: "App",
      Dimensions: [{ Name: "Host" }],
      RecentlyActive: "PT3H",
    });
    expect(refusal(listMetrics as Action, { RecentlyActive: "PT1H" })?.type).toBe(
      "InvalidParameterValue",
    );
  });
});
