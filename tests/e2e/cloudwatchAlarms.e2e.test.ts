import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { promisify } from "node:util";
import {
  CloudWatchClient,
  DeleteAlarmsCommand,
  DescribeAlarmHistoryCommand,
  DescribeAlarmsCommand,
  DescribeAlarmsForMetricCommand,
  DisableAlarmActionsCommand,
  EnableAlarmActionsCommand,
  PutMetricAlarmCommand,
  PutMetricDataCommand,
  SetAlarmStateCommand,
  type MetricAlarm,
} from "@aws-sdk/client-cloudwatch";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  startTestSystem,
  TEST_ACCESS_KEY,
  TEST_REGION,
  type TestSystem,
} from "../fixtures/system.js";
import { waitFor } from "../fixtures/waitFor.js";

const run = promisify(execFile);
const AWS_CLI = "/usr/bin/aws";
const NS = "Flotilla/E2E";

describe("CloudWatch alarms through the AWS SDK and CLI", () => {
  let sys: TestSystem;
  let cw: CloudWatchClient;
  beforeAll(async () => {
    sys = await startTestSystem("e2e_alarms", {
      serviceEnv: {
        agent: { FLOTILLA_AGENT_RUNTIME: "hollow" },
        autoscaler: { ALARM_EVALUATION_TICK_MS: "200", ALARM_EVALUATION_DELAY_MS: "500" },
      },
    });
    cw = new CloudWatchClient({
      endpoint: sys.endpoint,
      region: TEST_REGION,
      credentials: { accessKeyId: TEST_ACCESS_KEY, secretAccessKey: "test" },
      maxAttempts: 1,
    });
  }, 120_000);
  afterAll(async () => {
    cw?.destroy();
    await sys?.stop();
  });

  const alarm = async (name: string): Promise<MetricAlarm | undefined> =>
    (await cw.send(new DescribeAlarmsCommand({ AlarmNames: [name] }))).MetricAlarms?.[0];
  const errorOf = (p: Promise<unknown>) =>
    p.then(
      () => undefined,
      (e: { name?: string; message?: string }) => ({ name: e.name, message: e.message }),
    );

  it("an alarm on a custom high-resolution metric goes to ALARM as data arrives", async () => {
    await cw.send(
      new PutMetricAlarmCommand({
        AlarmName: "load-high",
        AlarmDescription: "load above 50",
        Namespace: NS,
        MetricName: "Load",
        Dimensions: [{ Name: "Service", Value: "web" }],
        Statistic: "Maximum",
        Period: 10,
        EvaluationPeriods: 2,
        Threshold: 50,
        ComparisonOperator: "GreaterThanThreshold",
        AlarmActions: ["arn:aws:sns:us-east-1:000000000000:ops"],
      }),
    );
    const created = await alarm("load-high");
    expect(created).toMatchObject({
      AlarmName: "load-high",
      AlarmArn: "arn:aws:cloudwatch:us-east-1:000000000000:alarm:load-high",
      AlarmDescription: "load above 50",
      ActionsEnabled: true,
      StateValue: "INSUFFICIENT_DATA",
      StateReason: "Unchecked: Initial alarm creation",
      DatapointsToAlarm: 2,
      TreatMissingData: "missing",
      Dimensions: [{ Name: "Service", Value: "web" }],
      OKActions: [],
    });
    expect(created?.StateUpdatedTimestamp).toBeInstanceOf(Date);

    // Put datapoints every few hundred ms until the alarm has seen them.
    await waitFor(
      async () => {
        await cw.send(
          new PutMetricDataCommand({
            Namespace: NS,
            MetricData: [
              {
                MetricName: "Load",
                Dimensions: [{ Name: "Service", Value: "web" }],
                Value: 90,
                StorageResolution: 1,
                Timestamp: new Date(),
              },
            ],
          }),
        );
        return (await alarm("load-high"))?.StateValue === "ALARM";
      },
      "the alarm to reach ALARM",
      60_000,
      300,
    );
    const inAlarm = (await alarm("load-high"))!;
    expect(inAlarm.StateReason).toMatch(
      /^Threshold Crossed: \d out of the last 2 datapoints \[90\.0 \(\d\d\/\d\d\/\d\d \d\d:\d\d:\d\d\)(, 90\.0 \(.*\))?\] (was|were) greater than the threshold \(50\.0\) \(minimum 2 datapoints for INSUFFICIENT_DATA -> ALARM transition\)\.$/,
    );
    expect(JSON.parse(inAlarm.StateReasonData!)).toMatchObject({
      version: "1.0",
      statistic: "Maximum",
      period: 10,
      threshold: 50,
    });

    const forMetric = await cw.send(
      new DescribeAlarmsForMetricCommand({
        Namespace: NS,
        MetricName: "Load",
        Dimensions: [{ Name: "Service", Value: "web" }],
      }),
    );
    expect(forMetric.MetricAlarms?.map((a) => a.AlarmName)).toEqual(["load-high"]);

    // The SNS action is recorded as not run; the history shows it.
    await waitFor(
      async () =>
        ((
          await cw.send(
            new DescribeAlarmHistoryCommand({ AlarmName: "load-high", HistoryItemType: "Action" }),
          )
        ).AlarmHistoryItems?.length ?? 0) > 0,
      "the Action history item",
    );
    const history = await cw.send(new DescribeAlarmHistoryCommand({ AlarmName: "load-high" }));
    const items = history.AlarmHistoryItems ?? [];
    expect(items.map((i) => i.HistoryItemType)).toEqual(
      expect.arrayContaining(["ConfigurationUpdate", "StateUpdate", "Action"]),
    );
    const stateUpdate = items.find((i) => i.HistoryItemType === "StateUpdate")!;
    expect(stateUpdate.HistorySummary).toBe("Alarm updated from INSUFFICIENT_DATA to ALARM");
    expect(JSON.parse(stateUpdate.HistoryData!)).toMatchObject({
      oldState: { stateValue: "INSUFFICIENT_DATA" },
      newState: { stateValue: "ALARM" },
    });
    expect(items[0]!.Timestamp!.getTime()).toBeGreaterThanOrEqual(
      items[items.length - 1]!.Timestamp!.getTime(),
    );

    // Paging: one item per page.
    const page1 = await cw.send(
      new DescribeAlarmHistoryCommand({ AlarmName: "load-high", MaxRecords: 1 }),
    );
    expect(page1.AlarmHistoryItems).toHaveLength(1);
    const page2 = await cw.send(
      new DescribeAlarmHistoryCommand({
        AlarmName: "load-high",
        MaxRecords: 1,
        NextToken: page1.NextToken!,
      }),
    );
    expect(page2.AlarmHistoryItems?.[0]?.Timestamp).toBeDefined();
    expect(page2.AlarmHistoryItems?.[0]).not.toEqual(page1.AlarmHistoryItems?.[0]);
  });

  it("SetAlarmState, actions on and off, filters, paging, errors and deletion", async () => {
    for (const name of ["quiet-a", "quiet-b"]) {
      await cw.send(
        new PutMetricAlarmCommand({
          AlarmName: name,
          Namespace: NS,
          MetricName: "Nothing",
          ExtendedStatistic: "p99",
          EvaluateLowSampleCountPercentile: "ignore",
          Period: 60,
          EvaluationPeriods: 1,
          Threshold: 1,
          ComparisonOperator: "GreaterThanOrEqualToThreshold",
          TreatMissingData: "ignore",
        }),
      );
    }
    await cw.send(
      new SetAlarmStateCommand({ AlarmName: "quiet-a", StateValue: "ALARM", StateReason: "drill" }),
    );
    expect(await alarm("quiet-a")).toMatchObject({ StateValue: "ALARM", StateReason: "drill" });
    expect(
      await errorOf(
        cw.send(
          new SetAlarmStateCommand({ AlarmName: "nope", StateValue: "OK", StateReason: "x" }),
        ),
      ),
    ).toMatchObject({ name: "ResourceNotFound" });

    await cw.send(new DisableAlarmActionsCommand({ AlarmNames: ["quiet-a", "quiet-b"] }));
    expect((await alarm("quiet-b"))?.ActionsEnabled).toBe(false);
    await cw.send(new EnableAlarmActionsCommand({ AlarmNames: ["quiet-b"] }));
    expect((await alarm("quiet-b"))?.ActionsEnabled).toBe(true);

    const byPrefix = await cw.send(new DescribeAlarmsCommand({ AlarmNamePrefix: "quiet-" }));
    expect(byPrefix.MetricAlarms?.map((a) => a.AlarmName)).toEqual(["quiet-a", "quiet-b"]);
    expect(byPrefix.CompositeAlarms).toEqual([]);
    const inAlarm = await cw.send(
      new DescribeAlarmsCommand({ AlarmNamePrefix: "quiet-", StateValue: "ALARM" }),
    );
    expect(inAlarm.MetricAlarms?.map((a) => a.AlarmName)).toEqual(["quiet-a"]);
    const first = await cw.send(new DescribeAlarmsCommand({ MaxRecords: 1 }));
    expect(first.MetricAlarms).toHaveLength(1);
    const second = await cw.send(
      new DescribeAlarmsCommand({ MaxRecords: 1, NextToken: first.NextToken! }),
    );
    expect(second.MetricAlarms?.[0]?.AlarmName).not.toBe(first.MetricAlarms?.[0]?.AlarmName);
    expect(
      await errorOf(cw.send(new DescribeAlarmsCommand({ NextToken: "garbage" }))),
    ).toMatchObject({ name: "InvalidNextToken" });

    expect(
      await errorOf(
        cw.send(
          new PutMetricAlarmCommand({
            AlarmName: "bad",
            Namespace: NS,
            MetricName: "Load",
            Statistic: "Average",
            Period: 60,
            EvaluationPeriods: 2,
            DatapointsToAlarm: 3,
            Threshold: 1,
            ComparisonOperator: "GreaterThanThreshold",
          }),
        ),
      ),
    ).toMatchObject({
      // The SDK's class for CloudWatch's InvalidParameterValue code.
      name: "InvalidParameterValueException",
      message: expect.stringContaining("DatapointsToAlarm") as unknown,
    });
    expect(
      await errorOf(
        cw.send(
          new PutMetricAlarmCommand({
            AlarmName: "bad",
            Namespace: NS,
            MetricName: "Load",
            Period: 60,
            EvaluationPeriods: 1,
            Threshold: 1,
            ComparisonOperator: "GreaterThanThreshold",
          }),
        ),
      ),
    ).toMatchObject({ name: "MissingRequiredParameterException" });

    await cw.send(new DeleteAlarmsCommand({ AlarmNames: ["quiet-b", "never-existed"] }));
    expect(await alarm("quiet-b")).toBeUndefined();
    const deleted = await cw.send(
      new DescribeAlarmHistoryCommand({
        AlarmName: "quiet-b",
        HistoryItemType: "ConfigurationUpdate",
        ScanBy: "TimestampAscending",
      }),
    );
    expect(deleted.AlarmHistoryItems?.map((i) => i.HistorySummary)).toEqual([
      'Alarm "quiet-b" created',
      'Alarm "quiet-b" updated',
      'Alarm "quiet-b" updated',
      'Alarm "quiet-b" deleted',
    ]);
  });

  it("the AWS CLI (query protocol) puts, describes and sets alarms", async (ctx) => {
    if (!existsSync(AWS_CLI)) {
      if (process.env.CI) throw new Error(`${AWS_CLI} is missing: .ci/run must install awscli`);
      ctx.skip();
    }
    const aws = async (...args: string[]) => {
      const { stdout } = await run(
        AWS_CLI,
        [...args, "--endpoint-url", sys.endpoint, "--output", "json"],
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
      return stdout.trim() ? (JSON.parse(stdout) as Record<string, unknown>) : {};
    };
    await aws(
      "cloudwatch",
      "put-metric-alarm",
      "--alarm-name",
      "cli-alarm",
      "--namespace",
      NS,
      "--metric-name",
      "Queue",
      "--statistic",
      "Sum",
      "--period",
      "60",
      "--evaluation-periods",
      "3",
      "--datapoints-to-alarm",
      "2",
      "--threshold",
      "10.5",
      "--comparison-operator",
      "LessThanThreshold",
      "--treat-missing-data",
      "notBreaching",
      "--dimensions",
      "Name=Queue,Value=jobs",
    );
    await aws(
      "cloudwatch",
      "set-alarm-state",
      "--alarm-name",
      "cli-alarm",
      "--state-value",
      "ALARM",
      "--state-reason",
      "from the CLI",
    );
    const described = await aws("cloudwatch", "describe-alarms", "--alarm-names", "cli-alarm");
    expect(described.MetricAlarms).toEqual([
      expect.objectContaining({
        AlarmName: "cli-alarm",
        Namespace: NS,
        MetricName: "Queue",
        Statistic: "Sum",
        Period: 60,
        EvaluationPeriods: 3,
        DatapointsToAlarm: 2,
        Threshold: 10.5,
        ComparisonOperator: "LessThanThreshold",
        TreatMissingData: "notBreaching",
        Dimensions: [{ Name: "Queue", Value: "jobs" }],
        ActionsEnabled: true,
        OKActions: [],
      }),
    ]);
    const state = (described.MetricAlarms as MetricAlarm[])[0]!.StateValue;
    // The CLI set ALARM; an evaluation since (no data, notBreaching) may have set OK.
    expect(["ALARM", "OK"]).toContain(state);
    const history = await aws(
      "cloudwatch",
      "describe-alarm-history",
      "--alarm-name",
      "cli-alarm",
      "--history-item-type",
      "StateUpdate",
    );
    // The first evaluation may have moved it to OK before the CLI set ALARM.
    expect(
      (history.AlarmHistoryItems as { HistorySummary: string }[]).map((i) => i.HistorySummary),
    ).toEqual(expect.arrayContaining([expect.stringMatching(/^Alarm updated from \w+ to ALARM$/)]));
    await aws("cloudwatch", "delete-alarms", "--alarm-names", "cli-alarm");
    expect(
      (await aws("cloudwatch", "describe-alarms", "--alarm-names", "cli-alarm")).MetricAlarms,
    ).toEqual([]);
  });
});
