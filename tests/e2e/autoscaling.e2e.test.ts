import { execFile } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import {
  ApplicationAutoScalingClient,
  DescribeScalingActivitiesCommand,
  PutScalingPolicyCommand,
  RegisterScalableTargetCommand,
  type ScalingActivity,
} from "@aws-sdk/client-application-auto-scaling";
import {
  CloudWatchClient,
  DescribeAlarmsCommand,
  GetMetricStatisticsCommand,
  PutMetricAlarmCommand,
  PutMetricDataCommand,
} from "@aws-sdk/client-cloudwatch";
import {
  CreateServiceCommand,
  DescribeServicesCommand,
  RegisterTaskDefinitionCommand,
  type ContainerDefinition,
  type ECSClient,
} from "@aws-sdk/client-ecs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  startTestSystem,
  TEST_ACCESS_KEY,
  TEST_REGION,
  type TestSystem,
} from "../fixtures/system.js";
import { waitFor as pollUntil } from "../fixtures/waitFor.js";

const run = promisify(execFile);
const IMAGE = "flotilla-test/busybox:latest";
const AWS_CLI = "/usr/bin/aws";
/** Every period in this file: metrics, alarms and target tracking run at 10 s resolution. */
const PERIOD = 10;

const waitFor = (check: () => Promise<boolean>, what: string, ms: number) =>
  pollUntil(check, what, ms, 1_000);

/**
 * Autoscaling end to end on real Docker, through the AWS SDK: a busybox
 * service that burns CPU scales out under a target tracking policy on
 * `ECSServiceAverageCPUUtilization` and back in when the burn stops; a step
 * scaling policy on a custom metric fed by PutMetricData scales by the step
 * the breach falls in, and no more while its cooldown lasts.
 */
describe("autoscaling on real Docker", () => {
  let sys: TestSystem;
  let ecs: ECSClient;
  let scaling: ApplicationAutoScalingClient;
  let cloudwatch: CloudWatchClient;
  let ctlDir: string;

  beforeAll(async () => {
    ctlDir = await mkdtemp(join(tmpdir(), "flotilla-burn-"));
    sys = await startTestSystem("e2e_autoscaling", {
      serviceEnv: {
        agent: {
          FLOTILLA_AGENT_CPU: "4096",
          FLOTILLA_AGENT_MEMORY_MIB: "2048",
          FLOTILLA_AGENT_RESERVED_MEMORY_MIB: "0",
          // The burner tasks read their control files from a host-path volume.
          FLOTILLA_AGENT_ALLOW_HOST_PATH_VOLUMES: "true",
        },
        scheduler: { SERVICE_SWEEP_MS: "1000" },
        autoscaler: {
          ECS_METRICS_PERIOD_SECONDS: String(PERIOD),
          TARGET_TRACKING_PERIOD_SECONDS: String(PERIOD),
          TARGET_TRACKING_SCALE_OUT_PERIODS: "3",
          // The low alarm's 15 periods, shortened for the test (a project extension).
          TARGET_TRACKING_SCALE_IN_PERIODS: "3",
          ALARM_EVALUATION_TICK_MS: "1000",
        },
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
  });
  afterAll(async () => {
    scaling?.destroy();
    cloudwatch?.destroy();
    await sys?.stop();
    if (ctlDir) await rm(ctlDir, { recursive: true, force: true });
  });

  const desiredCount = async (service: string): Promise<number> => {
    const { services } = await ecs.send(new DescribeServicesCommand({ services: [service] }));
    return services?.[0]?.desiredCount ?? -1;
  };
  const runningCount = async (service: string): Promise<number> => {
    const { services } = await ecs.send(new DescribeServicesCommand({ services: [service] }));
    return services?.[0]?.runningCount ?? -1;
  };
  const activities = async (service: string): Promise<ScalingActivity[]> =>
    (
      await scaling.send(
        new DescribeScalingActivitiesCommand({
          ServiceNamespace: "ecs",
          ResourceId: `service/default/${service}`,
          IncludeNotScaledActivities: true,
        }),
      )
    ).ScalingActivities ?? [];

  const createService = async (service: string, container: ContainerDefinition) => {
    const { taskDefinition } = await ecs.send(
      new RegisterTaskDefinitionCommand({
        family: service,
        containerDefinitions: [container],
        volumes: [{ name: "ctl", host: { sourcePath: ctlDir } }],
      }),
    );
    await ecs.send(
      new CreateServiceCommand({
        serviceName: service,
        taskDefinition: taskDefinition!.taskDefinitionArn!,
        desiredCount: 1,
      }),
    );
    await waitFor(async () => (await runningCount(service)) === 1, `${service} running`, 60_000);
    await scaling.send(
      new RegisterScalableTargetCommand({
        ServiceNamespace: "ecs",
        ResourceId: `service/default/${service}`,
        ScalableDimension: "ecs:service:DesiredCount",
        MinCapacity: 1,
        MaxCapacity: service === "burner" ? 2 : 6,
      }),
    );
  };

  it("scales a CPU-burning service out under target tracking, and back in when the burn stops", async () => {
    const burnFlag = join(ctlDir, "burn");
    await writeFile(burnFlag, "");
    // Burns one core while /ctl/burn exists: 1024 CPU units used against 256 reserved.
    await createService("burner", {
      name: "burner",
      image: IMAGE,
      cpu: 256,
      memory: 32,
      essential: true,
      mountPoints: [{ sourceVolume: "ctl", containerPath: "/ctl", readOnly: true }],
      command: ["sh", "-c", "while :; do while [ -f /ctl/burn ]; do :; done; sleep 1; done"],
    });
    const { Alarms } = await scaling.send(
      new PutScalingPolicyCommand({
        PolicyName: "cpu50",
        ServiceNamespace: "ecs",
        ResourceId: "service/default/burner",
        ScalableDimension: "ecs:service:DesiredCount",
        PolicyType: "TargetTrackingScaling",
        TargetTrackingScalingPolicyConfiguration: {
          TargetValue: 50,
          PredefinedMetricSpecification: {
            PredefinedMetricType: "ECSServiceAverageCPUUtilization",
          },
          ScaleOutCooldown: 0,
          ScaleInCooldown: 0,
        },
      }),
    );
    expect(Alarms?.map((a) => a.AlarmName).sort()).toEqual([
      expect.stringMatching(/^TargetTracking-service\/default\/burner-AlarmHigh-/),
      expect.stringMatching(/^TargetTracking-service\/default\/burner-AlarmLow-/),
    ]);

    await waitFor(async () => (await desiredCount("burner")) === 2, "scale-out to 2", 150_000);
    // The burn shows in the service's metric as CloudWatch would report it.
    const now = new Date();
    const { Datapoints } = await cloudwatch.send(
      new GetMetricStatisticsCommand({
        Namespace: "AWS/ECS",
        MetricName: "CPUUtilization",
        Dimensions: [
          { Name: "ClusterName", Value: "default" },
          { Name: "ServiceName", Value: "burner" },
        ],
        StartTime: new Date(now.getTime() - 10 * 60_000),
        EndTime: now,
        Period: PERIOD,
        Statistics: ["Maximum"],
      }),
    );
    expect(Math.max(...(Datapoints ?? []).map((d) => d.Maximum ?? 0))).toBeGreaterThan(50);

    await rm(burnFlag);
    await waitFor(async () => (await desiredCount("burner")) === 1, "scale-in to 1", 180_000);

    const all = await activities("burner");
    console.log(`DescribeScalingActivities (burner):\n${JSON.stringify(all, null, 2)}`);
    const done = all.filter((a) => a.StatusCode === "Successful");
    expect(done.map((a) => a.Description)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/desired count to 2/),
        expect.stringMatching(/desired count to 1/),
      ]),
    );
    const { MetricAlarms } = await cloudwatch.send(
      new DescribeAlarmsCommand({ AlarmNamePrefix: "TargetTracking-service/default/burner" }),
    );
    expect(MetricAlarms).toHaveLength(2);
  });

  it("scales by the step a custom metric's breach falls in, and waits out the cooldown", async () => {
    await createService("steps", {
      name: "sleeper",
      image: IMAGE,
      cpu: 16,
      memory: 16,
      essential: true,
      command: ["sleep", "3600"],
    });
    const { PolicyARN } = await scaling.send(
      new PutScalingPolicyCommand({
        PolicyName: "queue-steps",
        ServiceNamespace: "ecs",
        ResourceId: "service/default/steps",
        ScalableDimension: "ecs:service:DesiredCount",
        PolicyType: "StepScaling",
        StepScalingPolicyConfiguration: {
          AdjustmentType: "ChangeInCapacity",
          Cooldown: 600,
          MetricAggregationType: "Maximum",
          StepAdjustments: [
            { MetricIntervalLowerBound: 0, MetricIntervalUpperBound: 50, ScalingAdjustment: 1 },
            { MetricIntervalLowerBound: 50, ScalingAdjustment: 3 },
          ],
        },
      }),
    );
    await cloudwatch.send(
      new PutMetricAlarmCommand({
        AlarmName: "queue-depth-high",
        Namespace: "Flotilla/E2E",
        MetricName: "QueueDepth",
        Dimensions: [{ Name: "Queue", Value: "jobs" }],
        Statistic: "Maximum",
        Period: PERIOD,
        EvaluationPeriods: 1,
        Threshold: 100,
        ComparisonOperator: "GreaterThanThreshold",
        AlarmActions: [PolicyARN!],
      }),
    );
    // 180 is 80 over the threshold: the [50, ∞) step, +3.
    const feed = setInterval(() => {
      void cloudwatch
        .send(
          new PutMetricDataCommand({
            Namespace: "Flotilla/E2E",
            MetricData: [
              {
                MetricName: "QueueDepth",
                Dimensions: [{ Name: "Queue", Value: "jobs" }],
                Value: 180,
                StorageResolution: 1,
              },
            ],
          }),
        )
        .catch(() => undefined);
    }, 2_000);
    try {
      await waitFor(async () => (await desiredCount("steps")) === 4, "step +3 to 4", 90_000);
      // The alarm stays in ALARM and invokes the policy again each period: the cooldown refuses.
      await waitFor(
        async () =>
          (await activities("steps")).some(
            (a) => a.StatusCode !== "Successful" && (a.NotScaledReasons ?? []).length > 0,
          ),
        "a not-scaled activity during the cooldown",
        60_000,
      );
    } finally {
      clearInterval(feed);
    }
    expect(await desiredCount("steps")).toBe(4);
    const done = (await activities("steps")).filter((a) => a.StatusCode === "Successful");
    expect(done).toHaveLength(1);
    expect(done[0]?.Description).toMatch(/desired count to 4/);

    // The Debian AWS CLI v2 reads the same activities (printed for the closing note).
    const { stdout } = await run(
      AWS_CLI,
      [
        "application-autoscaling",
        "describe-scaling-activities",
        "--service-namespace",
        "ecs",
        "--resource-id",
        "service/default/steps",
        "--include-not-scaled-activities",
        "--endpoint-url",
        sys.endpoint,
        "--output",
        "json",
      ],
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
    console.log(`describe-scaling-activities (steps):\n${stdout}`);
    const cli = JSON.parse(stdout) as { ScalingActivities: { StatusCode: string }[] };
    expect(cli.ScalingActivities.some((a) => a.StatusCode === "Successful")).toBe(true);
  });
});
