import type { NatsConnection, Subscription } from "@nats-io/nats-core";
import { connect } from "@nats-io/transport-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { alarmCommands } from "../../../services/autoscaler/alarms/alarmCommands.js";
import {
  startAlarmEvaluator,
  type AlarmEvaluator,
} from "../../../services/autoscaler/alarms/alarmEvaluator.js";
import type { AutoscalerContext } from "../../../services/autoscaler/context.js";
import { CommandClient, commandSubject, serveCommands } from "../../../shared/bus/index.js";
import {
  DeleteAlarms,
  DisableAlarmActions,
  EnableAlarmActions,
  PutMetricAlarm,
  SetAlarmState,
} from "../../../shared/commands/autoscaler/index.js";
import { alarmStream } from "../../../shared/domain/streams.js";
import { EventStore } from "../../../shared/eventstore/index.js";
import { upcastEvent } from "../../../shared/events/index.js";
import { silentLogger } from "../../../shared/log/index.js";
import { insertMetricData, postgresMetricSource } from "../../../shared/metrics/index.js";
import { ALL_PROJECTIONS, rebuildProjections } from "../../../shared/projections/index.js";
import { createTestDatabase, type TestDatabase } from "../../fixtures/database.js";
import { natsUrl, testPrefix } from "../../fixtures/nats.js";
import { waitFor } from "../../fixtures/waitFor.js";

const ARN = { region: "us-east-1", accountId: "123456789012" };
const POLICY = (name: string) =>
  `arn:aws:autoscaling:us-east-1:123456789012:scalingPolicy:00000000-0000-4000-8000-00000000000${name.length}:resource/ecs/service/demo/web:policyName/${name}`;
const OUT = POLICY("out");
const BROKEN = POLICY("broken");
const IN = POLICY("scalein");
const SNS = "arn:aws:sns:us-east-1:123456789012:ops";
const meta = { actor: "AKIDTEST", correlationId: "corr" };
const MINUTE = 60_000;
const T0 = Date.parse("2026-11-26T20:00:00Z");
const DIMENSIONS = [
  { name: "ClusterName", value: "demo" },
  { name: "ServiceName", value: "web" },
];

describe("alarm evaluation against Postgres and NATS", () => {
  let tdb: TestDatabase;
  let nc: NatsConnection;
  let served: Subscription;
  let responder: Subscription;
  let ctx: AutoscalerContext;
  let now = T0;
  let evaluators: AlarmEvaluator[] = [];
  let client: CommandClient;
  const received: { policyArn: string; state: string; metricValue: number | null }[] = [];

  beforeAll(async () => {
    tdb = await createTestDatabase("alarms");
    nc = await connect({ servers: natsUrl() });
    const prefix = testPrefix("alarms");
    ctx = {
      store: new EventStore(tdb.db, { projections: ALL_PROJECTIONS, upcast: upcastEvent }),
      db: tdb.db,
      nc,
      prefix,
      arn: ARN,
      clock: () => new Date(now),
      log: silentLogger,
      commands: new CommandClient(nc, prefix),
    };
    served = serveCommands(nc, prefix, "autoscaler", alarmCommands(ctx), silentLogger);
    // A fake ExecuteScalingPolicy handler: records what the alarms sent; one policy fails.
    responder = nc.subscribe(commandSubject(prefix, "autoscaler", "ExecuteScalingPolicy"), {
      callback: (_err, msg) => {
        const p = msg.json<{ policyArn: string; state: string; metricValue: number | null }>();
        received.push({ policyArn: p.policyArn, state: p.state, metricValue: p.metricValue });
        msg.respond(
          JSON.stringify(
            p.policyArn === BROKEN
              ? {
                  ok: false,
                  error: {
                    type: "ObjectNotFoundException",
                    message: "No such policy",
                    retryable: false,
                  },
                }
              : { ok: true, result: { outcome: "scaled", activityId: "a1" } },
          ),
        );
      },
    });
    client = new CommandClient(nc, prefix);
    const evaluator = () =>
      startAlarmEvaluator(ctx, {
        metricSource: postgresMetricSource(tdb.db),
        tickMs: 3_600_000, // the test drives passes itself with runOnce()
        delayMs: 1000,
      });
    evaluators = [evaluator(), evaluator()];
  });
  afterAll(async () => {
    for (const e of evaluators) await e.stop();
    served?.unsubscribe();
    responder?.unsubscribe();
    await nc?.drain();
    await tdb?.drop();
  });

  const cpu = (minute: number, value: number) =>
    insertMetricData(
      tdb.db,
      "AWS/ECS",
      [
        {
          metricName: "CPUUtilization",
          dimensions: DIMENSIONS,
          timestamp: new Date(T0 + minute * MINUTE + 10_000),
          value,
          unit: "Percent",
        },
      ],
      new Date(T0 + minute * MINUTE + 10_000),
    );
  /** Moves the clock to 2 s after the end of minute `minute` and evaluates (one replica). */
  const evaluateAfter = async (minute: number, replicas = 1) => {
    now = T0 + (minute + 1) * MINUTE + 2000;
    await Promise.all(evaluators.slice(0, replicas).map((e) => e.runOnce()));
  };
  const eventTypes = async () =>
    (await ctx.store.readStream(alarmStream("cpu-high"))).events.map((e) => e.type);
  const invoked = async () =>
    (await ctx.store.readStream(alarmStream("cpu-high"))).events.filter(
      (e) => e.type === "AlarmActionInvoked",
    ).length;

  it("puts alarm state changes on the log as datapoints arrive, and invokes actions", async () => {
    await client.send(
      PutMetricAlarm,
      {
        AlarmName: "cpu-high",
        MetricName: "CPUUtilization",
        Namespace: "AWS/ECS",
        Statistic: "Average",
        Dimensions: DIMENSIONS.map((d) => ({ Name: d.name, Value: d.value })),
        Period: 60,
        EvaluationPeriods: 3,
        Threshold: 50,
        ComparisonOperator: "GreaterThanThreshold",
        AlarmActions: [OUT, BROKEN, SNS],
        OKActions: [IN],
      },
      meta,
    );
    expect(await eventTypes()).toEqual(["AlarmPut"]);

    // Two minutes of high CPU: 2 of the 3 needed; missing data with real points keeps the count.
    await cpu(0, 80);
    await cpu(1, 90);
    await evaluateAfter(1);
    expect((await eventTypes()).slice(0, 3)).toEqual([
      "AlarmPut",
      "AlarmStateChanged",
      "AlarmActionsDue",
    ]);
    const first = (await ctx.store.readStream(alarmStream("cpu-high"))).events[1]!;
    expect(first.data).toMatchObject({ oldState: "INSUFFICIENT_DATA", newState: "ALARM" });

    // Note: with TreatMissingData "missing", 2 real breaching datapoints of 3 already alarm
    // (CloudWatch's table: "- - X - -" → ALARM). The ALARM actions ran once each.
    await waitFor(async () => (await invoked()) === 3, "three action invocations");
    expect(received).toHaveLength(2); // the SNS topic is not sent
    expect(received).toEqual(
      expect.arrayContaining([
        { policyArn: OUT, state: "ALARM", metricValue: 90 },
        expect.objectContaining({ policyArn: BROKEN }),
      ]),
    );
    const outcomes = (await ctx.store.readStream(alarmStream("cpu-high"))).events
      .filter((e) => e.type === "AlarmActionInvoked")
      .map((e) => [e.data.actionArn, e.data.outcome]);
    expect(outcomes).toEqual(
      expect.arrayContaining([
        [OUT, "Succeeded"],
        [BROKEN, "Failed"],
        [SNS, "NotSupported"],
      ]),
    );

    // The same period again: nothing new.
    await evaluateAfter(1);
    expect((await eventTypes()).filter((t) => t === "AlarmActionsDue")).toHaveLength(1);

    // Still high next minute: the ALARM actions repeat, once, though two replicas evaluate.
    await cpu(2, 85);
    // Within the evaluation delay after minute 2 ends, minute 2 is not evaluated yet.
    now = T0 + 3 * MINUTE + 500;
    await Promise.all(evaluators.map((e) => e.runOnce()));
    expect((await eventTypes()).filter((t) => t === "AlarmActionsDue")).toHaveLength(1);
    await evaluateAfter(2, 2);
    await waitFor(async () => (await invoked()) === 6, "the repeated invocations");
    expect((await eventTypes()).filter((t) => t === "AlarmActionsDue")).toHaveLength(2);
    expect(received.filter((r) => r.policyArn === OUT).map((r) => r.metricValue)).toEqual([90, 85]);

    // CPU drops: ALARM -> OK after one non-breaching datapoint; the OK action runs once.
    await cpu(3, 10);
    await evaluateAfter(3, 2);
    await waitFor(() => received.some((r) => r.policyArn === IN), "the OK action");
    const changed = (await ctx.store.readStream(alarmStream("cpu-high"))).events.filter(
      (e) => e.type === "AlarmStateChanged",
    );
    expect(changed.map((e) => e.data.newState)).toEqual(["ALARM", "OK"]);
    expect(changed[1]!.data.stateReason).toMatch(
      /^Threshold Crossed: 1 out of the last 3 datapoints \[10\.0 \(26\/11\/26 20:03:00\)\] was not greater than the threshold \(50\.0\) \(minimum 1 datapoint for ALARM -> OK transition\)\.$/,
    );
    await cpu(4, 12);
    await evaluateAfter(4, 2);
    expect(received.filter((r) => r.policyArn === IN)).toHaveLength(1);

    // The read model follows.
    const row = await tdb.db
      .selectFrom("alarms")
      .selectAll()
      .where("alarm_name", "=", "cpu-high")
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({ state_value: "OK", actions_enabled: true });
    const history = await tdb.db
      .selectFrom("alarm_history")
      .select(["history_item_type", "history_summary"])
      .where("alarm_name", "=", "cpu-high")
      .orderBy("position")
      .execute();
    expect(history[0]).toEqual({
      history_item_type: "ConfigurationUpdate",
      history_summary: 'Alarm "cpu-high" created',
    });
    expect(
      history.filter((h) => h.history_item_type === "StateUpdate").map((h) => h.history_summary),
    ).toEqual(["Alarm updated from INSUFFICIENT_DATA to ALARM", "Alarm updated from ALARM to OK"]);
    expect(history.filter((h) => h.history_item_type === "Action")).toHaveLength(7);
  });

  it("SetAlarmState, disabled actions, deletion — and a rebuild equals the live projection", async () => {
    await client.send(DisableAlarmActions, { AlarmNames: ["cpu-high", "nope"] }, meta);
    const before = received.length;
    await client.send(
      SetAlarmState,
      { AlarmName: "cpu-high", StateValue: "ALARM", StateReason: "testing" },
      meta,
    );
    await expect(
      client.send(SetAlarmState, { AlarmName: "nope", StateValue: "OK", StateReason: "x" }, meta),
    ).rejects.toMatchObject({ type: "ResourceNotFound" });
    // The next evaluation sets it back to OK; actions are disabled, so nothing is sent.
    await cpu(5, 11);
    await evaluateAfter(5);
    expect(
      (await tdb.db.selectFrom("alarms").select("state_value").executeTakeFirstOrThrow())
        .state_value,
    ).toBe("OK");
    expect(received.length).toBe(before);
    await client.send(EnableAlarmActions, { AlarmNames: ["cpu-high"] }, meta);

    await client.send(
      PutMetricAlarm,
      {
        AlarmName: "p90",
        MetricName: "CPUUtilization",
        Namespace: "AWS/ECS",
        ExtendedStatistic: "p90",
        Period: 10,
        EvaluationPeriods: 2,
        Threshold: 5,
        ComparisonOperator: "LessThanThreshold",
        TreatMissingData: "breaching",
      },
      meta,
    );
    await evaluateAfter(6);
    await client.send(DeleteAlarms, { AlarmNames: ["p90"] }, meta);

    const report = await rebuildProjections(tdb.db, {
      projections: ALL_PROJECTIONS,
      upcast: upcastEvent,
    });
    expect(report.differences).toEqual([]);
    expect(report.tables).toEqual(expect.arrayContaining(["alarms", "alarm_history"]));
  });
});
