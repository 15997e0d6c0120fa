import {
  ApplicationAutoScalingClient,
  PutScalingPolicyCommand,
  RegisterScalableTargetCommand,
} from "@aws-sdk/client-application-auto-scaling";
import {
  CloudWatchClient,
  DeleteAlarmsCommand,
  PutMetricAlarmCommand,
  PutMetricDataCommand,
} from "@aws-sdk/client-cloudwatch";
import {
  CreateServiceCommand,
  DescribeServicesCommand,
  RegisterTaskDefinitionCommand,
  UpdateServiceCommand,
  type ECSClient,
} from "@aws-sdk/client-ecs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { natsUrl } from "../fixtures/nats.js";
import {
  startTestSystem,
  TEST_ACCESS_KEY,
  TEST_REGION,
  type TestSystem,
} from "../fixtures/system.js";
import { waitFor } from "../fixtures/waitFor.js";
import { checkInvariants, expectNothingLost } from "./fixtures/invariants.js";
import { recordFault } from "./fixtures/recordFault.js";

const IMAGE = "flotilla-test/busybox:latest";
const LOOP = ["sh", "-c", "trap 'exit 0' TERM; while true; do sleep 1; done"];
const SERVICE = "race";
const CALLS = 20;
const PERIOD = 10;
const ALARM = "race-high";

interface ServiceEvent {
  readonly version: number;
  readonly type: string;
  readonly data: { desiredCount?: number; healthCheckGracePeriodSeconds?: number };
  readonly actor: string;
  readonly requestId: string | undefined;
  readonly recordedAt: Date;
}

/** One acknowledged UpdateService: what it asked for and the request the api answered. */
interface Acknowledged {
  readonly call: number;
  readonly desiredCount: number;
  readonly grace: number;
  readonly requestId: string;
  readonly attempts: number;
}

/**
 * Fault: 20 concurrent UpdateService calls (different desired counts, some a new task
 * definition) race the autoscaler's own UpdateService (a step policy, no cooldown, invoked
 * every alarm period) and the service scheduler's writes to the same stream. Each call sets
 * a healthCheckGracePeriodSeconds of its own, so each is a change: every acknowledged call
 * must be exactly one ServiceUpdated in the service stream (serial, gapless), and the
 * service's desired count must be the last recorded one — no lost update.
 */
describe("fault: 20 concurrent UpdateService calls racing the autoscaler", () => {
  let sys: TestSystem;
  let ecs: ECSClient;
  let scaling: ApplicationAutoScalingClient;
  let cloudwatch: CloudWatchClient;
  let feed: NodeJS.Timeout | undefined;
  const definitions: string[] = [];

  beforeAll(async () => {
    sys = await startTestSystem("fault_race", {
      serviceEnv: {
        agent: {
          FLOTILLA_AGENT_CPU: "2048",
          FLOTILLA_AGENT_MEMORY_MIB: "2048",
          FLOTILLA_AGENT_RESERVED_MEMORY_MIB: "0",
        },
        scheduler: { SERVICE_SWEEP_MS: "1000" },
        autoscaler: { ALARM_EVALUATION_TICK_MS: "250", ALARM_EVALUATION_DELAY_MS: "1000" },
      },
    });
    ecs = sys.ecs();
    const client = {
      endpoint: sys.endpoint,
      region: TEST_REGION,
      credentials: { accessKeyId: TEST_ACCESS_KEY, secretAccessKey: "test" },
      maxAttempts: 1,
    };
    scaling = new ApplicationAutoScalingClient(client);
    cloudwatch = new CloudWatchClient(client);
    for (const version of ["a", "b"]) {
      const { taskDefinition } = await ecs.send(
        new RegisterTaskDefinitionCommand({
          family: SERVICE,
          containerDefinitions: [
            {
              name: "loop",
              image: IMAGE,
              cpu: 32,
              memory: 16,
              essential: true,
              command: LOOP,
              environment: [{ name: "VERSION", value: version }],
            },
          ],
        }),
      );
      definitions.push(taskDefinition!.taskDefinitionArn!);
    }
  });
  afterAll(async () => {
    clearInterval(feed);
    scaling?.destroy();
    cloudwatch?.destroy();
    await sys?.stop();
  });

  const serviceEvents = async (): Promise<ServiceEvent[]> => {
    const rows = await sys.database.db
      .selectFrom("events")
      .select(["stream_version", "type", "data", "metadata", "recorded_at"])
      .where("stream_id", "=", `service:default/${SERVICE}`)
      .orderBy("stream_version")
      .execute();
    return rows.map((r) => {
      const metadata = r.metadata as { actor: string; requestId?: string };
      return {
        version: Number(r.stream_version),
        type: r.type,
        data: r.data,
        actor: metadata.actor,
        requestId: metadata.requestId,
        recordedAt: new Date(r.recorded_at),
      };
    });
  };
  const isAutoscaler = (e: ServiceEvent) =>
    e.type === "ServiceUpdated" && e.actor !== TEST_ACCESS_KEY;
  const activityStarts = async () =>
    Number(
      (
        await sys.database.db
          .selectFrom("events")
          .select((eb) => eb.fn.countAll().as("n"))
          .where("stream_id", "=", `scalabletarget:ecs/service/default/${SERVICE}`)
          .where("type", "=", "ScalingActivityStarted")
          .executeTakeFirstOrThrow()
      ).n,
    );
  /** The target's scaling activities: what each set the desired count to and its outcome. */
  const scalingActivities = async () => {
    const rows = await sys.database.db
      .selectFrom("events")
      .select(["type", "data", "recorded_at"])
      .where("stream_id", "=", `scalabletarget:ecs/service/default/${SERVICE}`)
      .where("type", "in", ["ScalingActivityStarted", "ScalingActivityCompleted"])
      .orderBy("stream_version")
      .execute();
    const started = new Map<string, number>();
    const done: { toCapacity: number; statusCode: string; completedAt: number }[] = [];
    for (const r of rows) {
      const d = r.data as { activityId: string; toCapacity?: number; statusCode?: string };
      if (r.type === "ScalingActivityStarted") started.set(d.activityId, d.toCapacity!);
      else if (started.has(d.activityId)) {
        done.push({
          toCapacity: started.get(d.activityId)!,
          statusCode: d.statusCode!,
          completedAt: new Date(r.recorded_at).getTime(),
        });
      }
    }
    return done;
  };
  const describeService = async () =>
    (await ecs.send(new DescribeServicesCommand({ services: [SERVICE] }))).services![0]!;

  /** UpdateService, tried again (as an SDK would) while the api answers a retryable error. */
  const update = async (
    call: number,
    input: { desiredCount: number; grace: number; taskDefinition?: string },
  ): Promise<Acknowledged> => {
    for (let attempt = 1; ; attempt++) {
      try {
        const out = await ecs.send(
          new UpdateServiceCommand({
            service: SERVICE,
            desiredCount: input.desiredCount,
            healthCheckGracePeriodSeconds: input.grace,
            ...(input.taskDefinition ? { taskDefinition: input.taskDefinition } : {}),
          }),
        );
        return {
          call,
          desiredCount: input.desiredCount,
          grace: input.grace,
          requestId: out.$metadata.requestId!,
          attempts: attempt,
        };
      } catch (err) {
        const retryable =
          (err as { $retryable?: unknown }).$retryable !== undefined ||
          (err as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 500;
        if (!retryable || attempt >= 8) throw err;
        await new Promise((r) => setTimeout(r, 50 * attempt + Math.random() * 100));
      }
    }
  };

  it("every acknowledged UpdateService is recorded exactly once, in one serial order, and the last one wins", async () => {
    await ecs.send(
      new CreateServiceCommand({
        serviceName: SERVICE,
        taskDefinition: definitions[0]!,
        desiredCount: 1,
      }),
    );
    await scaling.send(
      new RegisterScalableTargetCommand({
        ServiceNamespace: "ecs",
        ResourceId: `service/default/${SERVICE}`,
        ScalableDimension: "ecs:service:DesiredCount",
        MinCapacity: 1,
        MaxCapacity: 6,
      }),
    );
    const { PolicyARN } = await scaling.send(
      new PutScalingPolicyCommand({
        PolicyName: "race-step",
        ServiceNamespace: "ecs",
        ResourceId: `service/default/${SERVICE}`,
        ScalableDimension: "ecs:service:DesiredCount",
        PolicyType: "StepScaling",
        StepScalingPolicyConfiguration: {
          AdjustmentType: "ChangeInCapacity",
          Cooldown: 0,
          MetricAggregationType: "Maximum",
          StepAdjustments: [{ MetricIntervalLowerBound: 0, ScalingAdjustment: 1 }],
        },
      }),
    );
    await cloudwatch.send(
      new PutMetricAlarmCommand({
        AlarmName: ALARM,
        Namespace: "Flotilla/Faults",
        MetricName: "Backlog",
        Statistic: "Maximum",
        Period: PERIOD,
        EvaluationPeriods: 1,
        Threshold: 100,
        ComparisonOperator: "GreaterThanThreshold",
        AlarmActions: [PolicyARN!],
      }),
    );
    // A high-resolution metric always over the threshold: the alarm stays in ALARM and
    // invokes the policy (+1) every period.
    const put = () =>
      cloudwatch
        .send(
          new PutMetricDataCommand({
            Namespace: "Flotilla/Faults",
            MetricData: [{ MetricName: "Backlog", Value: 500, StorageResolution: 1 }],
          }),
        )
        .catch(() => undefined);
    void put();
    feed = setInterval(() => void put(), 1_000);

    // Wait for the autoscaler's first scale-out, then fire the burst the moment its next
    // activity starts: its UpdateService follows within moments, into the burst.
    await waitFor(
      async () => (await serviceEvents()).some(isAutoscaler),
      "the autoscaler's first scale-out",
      60_000,
      200,
    );
    const activitiesBefore = await activityStarts();
    await waitFor(
      async () => (await activityStarts()) > activitiesBefore,
      "the autoscaler's next scaling activity",
      PERIOD * 3000,
      20,
    );
    const startedAt = Date.now();
    const calls = Array.from({ length: CALLS }, (_, i) =>
      update(i, {
        desiredCount: i % 4,
        grace: 100 + i,
        ...(i % 5 === 0 ? { taskDefinition: definitions[(i / 5 + 1) % 2]! } : {}),
      }),
    );
    const acknowledged = await Promise.all(calls);
    const ackedAt = Date.now();
    recordFault(
      "updateServiceRace",
      `${CALLS} concurrent UpdateService acknowledged`,
      ackedAt - startedAt,
    );
    // Let the autoscaler write once more after the burst (on top of what the burst left),
    // then stop it.
    const burstEnd = (await serviceEvents()).length;
    await waitFor(
      async () => (await serviceEvents()).slice(burstEnd).some(isAutoscaler),
      "an autoscaler write after the burst",
      PERIOD * 3000,
      200,
    );
    clearInterval(feed);
    await cloudwatch.send(new DeleteAlarmsCommand({ AlarmNames: [ALARM] }));

    const events = await serviceEvents();
    expect(events.map((e) => e.version)).toEqual(events.map((_, i) => i + 1));
    // Every acknowledged call: exactly one event, carrying its request id and its change.
    for (const ack of acknowledged) {
      const mine = events.filter((e) => e.requestId === ack.requestId);
      expect(mine, `call ${ack.call} (request ${ack.requestId})`).toHaveLength(1);
      expect(mine[0]!.type).toBe("ServiceUpdated");
      expect(mine[0]!.data.healthCheckGracePeriodSeconds).toBe(ack.grace);
      const byGrace = events.filter((e) => e.data.healthCheckGracePeriodSeconds === ack.grace);
      expect(byGrace.map((e) => e.version)).toEqual([mine[0]!.version]);
    }
    const ours = events.filter((e) => e.actor === TEST_ACCESS_KEY && e.type === "ServiceUpdated");
    expect(ours).toHaveLength(CALLS);
    const scaler = events.filter(isAutoscaler);
    expect(scaler.length).toBeGreaterThan(0);

    // The autoscaler's side: each activity it completed as Successful set a desired count
    // the service had at some point of the serial order before the activity completed
    // (its UpdateService records nothing when a racing call already set that count).
    const history = events.flatMap((e) =>
      e.data.desiredCount === undefined
        ? []
        : [{ desiredCount: e.data.desiredCount, at: e.recordedAt.getTime() }],
    );
    const activities = await scalingActivities();
    const successful = activities.filter((a) => a.statusCode === "Successful");
    // The race happened: an autoscaler activity completed while the burst was in flight.
    expect(successful.some((a) => a.completedAt >= startedAt)).toBe(true);
    for (const a of successful) {
      expect(
        history.some((h) => h.desiredCount === a.toCapacity && h.at <= a.completedAt),
        `scaling activity to ${a.toCapacity} (completed at ${new Date(a.completedAt).toISOString()})`,
      ).toBe(true);
    }
    const [lo, hi] = [ours[0]!.version, ours.at(-1)!.version];
    const inside = (at: number) => at >= startedAt && at <= ackedAt;
    console.log(
      `[fault] updateServiceRace: ${CALLS} calls, ${acknowledged.filter((a) => a.attempts > 1).length} ` +
        `answered "too many concurrent changes" first (at most ${Math.max(...acknowledged.map((a) => a.attempts))} attempts); ` +
        `${successful.length} autoscaler scale-outs (${successful.filter((a) => inside(a.completedAt)).length} during the burst), ` +
        `${scaler.filter((e) => e.version > lo && e.version < hi).length} of their updates between ours; ` +
        `desired counts in serial order: ${events
          .filter((e) => e.data.desiredCount !== undefined)
          .map((e) => `${e.data.desiredCount}${e.actor === TEST_ACCESS_KEY ? "" : "*"}`)
          .join(" ")} (* autoscaler)`,
    );

    // No lost update: the service's desired count is the last one the stream recorded.
    const lastDesired = () =>
      serviceEvents().then(
        (all) => all.filter((e) => e.data.desiredCount !== undefined).at(-1)!.data.desiredCount,
      );
    await waitFor(
      async () => (await describeService()).desiredCount === (await lastDesired()),
      "DescribeServices to show the last recorded desired count",
      15_000,
      200,
    );
    const settledAt = Date.now();
    await waitFor(
      async () => {
        const s = await describeService();
        return s.runningCount === s.desiredCount && s.deployments?.length === 1;
      },
      "the service to converge on its last desired count",
      120_000,
      500,
    );
    recordFault("updateServiceRace", "converged after the race", Date.now() - settledAt);

    const invariants = await checkInvariants(
      {
        databaseUrl: sys.database.url,
        natsUrl: natsUrl(),
        prefix: sys.prefix,
        agentIds: [sys.agentId],
      },
      { convergeTimeoutMs: 60_000 },
    );
    expectNothingLost(invariants);
  }, 240_000);
});
