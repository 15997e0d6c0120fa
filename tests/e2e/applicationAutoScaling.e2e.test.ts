import {
  ApplicationAutoScalingClient,
  DeleteScalingPolicyCommand,
  DeregisterScalableTargetCommand,
  DescribeScalableTargetsCommand,
  DescribeScalingActivitiesCommand,
  DescribeScalingPoliciesCommand,
  ObjectNotFoundException,
  PutScalingPolicyCommand,
  RegisterScalableTargetCommand,
  ValidationException,
} from "@aws-sdk/client-application-auto-scaling";
import {
  CloudWatchClient,
  DescribeAlarmsCommand,
  PutMetricAlarmCommand,
  SetAlarmStateCommand,
} from "@aws-sdk/client-cloudwatch";
import {
  CreateClusterCommand,
  CreateServiceCommand,
  DescribeServicesCommand,
  RegisterTaskDefinitionCommand,
  type ECSClient,
} from "@aws-sdk/client-ecs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  TEST_ACCESS_KEY,
  TEST_REGION,
  startTestSystem,
  type TestSystem,
} from "../fixtures/system.js";
import { waitFor } from "../fixtures/waitFor.js";

const CLUSTER = "aas";
const RESOURCE = `service/${CLUSTER}/web`;
const target = {
  ServiceNamespace: "ecs" as const,
  ResourceId: RESOURCE,
  ScalableDimension: "ecs:service:DesiredCount" as const,
};

/**
 * Application Auto Scaling's API surface through the AWS SDK against the real
 * services: targets, policies and the alarms they own, activities, typed errors.
 * (Scaling on real load is the autoscaling end-to-end test's part.)
 */
describe("Application Auto Scaling through @aws-sdk/client-application-auto-scaling", () => {
  let sys: TestSystem;
  let ecs: ECSClient;
  let aas: ApplicationAutoScalingClient;
  let cw: CloudWatchClient;

  beforeAll(async () => {
    sys = await startTestSystem("aas");
    ecs = sys.ecs();
    const config = {
      endpoint: sys.endpoint,
      region: TEST_REGION,
      credentials: { accessKeyId: TEST_ACCESS_KEY, secretAccessKey: "test" },
      maxAttempts: 1,
    };
    aas = new ApplicationAutoScalingClient(config);
    cw = new CloudWatchClient(config);
    await ecs.send(new CreateClusterCommand({ clusterName: CLUSTER }));
    await ecs.send(
      new RegisterTaskDefinitionCommand({
        family: "web",
        containerDefinitions: [
          {
            name: "app",
            image: "flotilla-test/busybox:latest",
            memory: 32,
            command: ["sleep", "3600"],
          },
        ],
      }),
    );
    await ecs.send(
      new CreateServiceCommand({
        cluster: CLUSTER,
        serviceName: "web",
        taskDefinition: "web",
        desiredCount: 0,
      }),
    );
  });
  afterAll(async () => {
    aas?.destroy();
    cw?.destroy();
    await sys?.stop();
  });

  const desiredCount = async () =>
    (await ecs.send(new DescribeServicesCommand({ cluster: CLUSTER, services: ["web"] })))
      .services?.[0]?.desiredCount;

  it("refuses other namespaces and unknown services with a typed ValidationException", async () => {
    const other = await aas
      .send(
        new RegisterScalableTargetCommand({
          ServiceNamespace: "dynamodb",
          ResourceId: "table/t",
          ScalableDimension: "dynamodb:table:ReadCapacityUnits",
          MinCapacity: 1,
          MaxCapacity: 2,
        }),
      )
      .catch((e: unknown) => e);
    expect(other).toBeInstanceOf(ValidationException);
    expect((other as Error).message).toMatch(/^ServiceNamespace/);

    const missing = await aas
      .send(
        new RegisterScalableTargetCommand({
          ...target,
          ResourceId: `service/${CLUSTER}/nope`,
          MinCapacity: 1,
          MaxCapacity: 2,
        }),
      )
      .catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(ValidationException);
    expect((missing as Error).message).toBe(`ECS service doesn't exist: service/${CLUSTER}/nope`);
  });

  it("registers the target, moves the desired count to the minimum, and describes both", async () => {
    const { ScalableTargetARN } = await aas.send(
      new RegisterScalableTargetCommand({ ...target, MinCapacity: 1, MaxCapacity: 3 }),
    );
    expect(ScalableTargetARN).toMatch(/^arn:aws:application-autoscaling:/);
    expect(await desiredCount()).toBe(1);

    const { ScalableTargets } = await aas.send(
      new DescribeScalableTargetsCommand({ ServiceNamespace: "ecs", ResourceIds: [RESOURCE] }),
    );
    expect(ScalableTargets).toHaveLength(1);
    expect(ScalableTargets![0]).toMatchObject({
      ...target,
      MinCapacity: 1,
      MaxCapacity: 3,
      ScalableTargetARN,
      SuspendedState: {
        DynamicScalingInSuspended: false,
        DynamicScalingOutSuspended: false,
        ScheduledScalingSuspended: false,
      },
    });
    expect(ScalableTargets![0]!.CreationTime).toBeInstanceOf(Date);

    const { ScalingActivities } = await aas.send(
      new DescribeScalingActivitiesCommand({ ServiceNamespace: "ecs", ResourceId: RESOURCE }),
    );
    expect(ScalingActivities![0]).toMatchObject({
      Description: "Setting desired count to 1.",
      Cause: "minimum capacity was set to 1",
      StatusCode: "Successful",
    });
    expect(ScalingActivities![0]!.StartTime).toBeInstanceOf(Date);
    expect(ScalingActivities![0]!.EndTime).toBeInstanceOf(Date);
  });

  let policyArn = "";
  let alarmNames: string[] = [];

  it("a target tracking policy answers its ARN and alarms, which CloudWatch shows", async () => {
    const put = await aas.send(
      new PutScalingPolicyCommand({
        ...target,
        PolicyName: "cpu50",
        PolicyType: "TargetTrackingScaling",
        TargetTrackingScalingPolicyConfiguration: {
          TargetValue: 50,
          PredefinedMetricSpecification: {
            PredefinedMetricType: "ECSServiceAverageCPUUtilization",
          },
          ScaleInCooldown: 60,
          ScaleOutCooldown: 60,
        },
      }),
    );
    policyArn = put.PolicyARN!;
    expect(policyArn).toMatch(
      /:scalingPolicy:[0-9a-f-]{36}:resource\/ecs\/service\/aas\/web:policyName\/cpu50$/,
    );
    alarmNames = put.Alarms!.map((a) => a.AlarmName!);
    expect(alarmNames).toEqual([
      expect.stringMatching(/^TargetTracking-service\/aas\/web-AlarmHigh-/),
      expect.stringMatching(/^TargetTracking-service\/aas\/web-AlarmLow-/),
    ]);

    const { ScalingPolicies } = await aas.send(
      new DescribeScalingPoliciesCommand({ ServiceNamespace: "ecs", ResourceId: RESOURCE }),
    );
    expect(ScalingPolicies).toHaveLength(1);
    expect(ScalingPolicies![0]).toMatchObject({
      PolicyARN: policyArn,
      PolicyName: "cpu50",
      PolicyType: "TargetTrackingScaling",
      TargetTrackingScalingPolicyConfiguration: { TargetValue: 50 },
      Alarms: put.Alarms,
    });

    const { MetricAlarms } = await cw.send(new DescribeAlarmsCommand({ AlarmNames: alarmNames }));
    expect(
      MetricAlarms?.map((a) => [a.AlarmName, a.ComparisonOperator, a.Threshold, a.AlarmActions]),
    ).toEqual([
      [alarmNames[0], "GreaterThanThreshold", 50, [policyArn]],
      [alarmNames[1], "LessThanThreshold", 45, [policyArn]],
    ]);
    expect(MetricAlarms![0]).toMatchObject({
      Namespace: "AWS/ECS",
      MetricName: "CPUUtilization",
      Dimensions: [
        { Name: "ClusterName", Value: CLUSTER },
        { Name: "ServiceName", Value: "web" },
      ],
    });
  });

  it("a decision not to scale shows only with IncludeNotScaledActivities, with its reasons", async () => {
    // SetAlarmState invokes the policy with no datapoint: it cannot compute a capacity.
    await cw.send(
      new SetAlarmStateCommand({
        AlarmName: alarmNames[0]!,
        StateValue: "ALARM",
        StateReason: "testing the policy",
      }),
    );
    const notScaled = async () =>
      (
        await aas.send(
          new DescribeScalingActivitiesCommand({
            ServiceNamespace: "ecs",
            ResourceId: RESOURCE,
            IncludeNotScaledActivities: true,
          }),
        )
      ).ScalingActivities?.filter((a) => a.NotScaledReasons !== undefined) ?? [];
    await waitFor(async () => (await notScaled()).length > 0, "a not-scaled activity", 30_000, 200);
    const [activity] = await notScaled();
    expect(activity).toMatchObject({
      StatusCode: "Failed",
      NotScaledReasons: [
        { Code: "InsufficientData", CurrentCapacity: 1, MinCapacity: 1, MaxCapacity: 3 },
      ],
    });
    expect(activity!.Cause).toContain(
      `monitor alarm ${alarmNames[0]} in state ALARM triggered policy cpu50`,
    );
    const plain = await aas.send(
      new DescribeScalingActivitiesCommand({ ServiceNamespace: "ecs", ResourceId: RESOURCE }),
    );
    expect(plain.ScalingActivities?.some((a) => a.NotScaledReasons !== undefined)).toBe(false);
    expect(await desiredCount()).toBe(1);
  });

  it("a step scaling policy shows the alarm a user attaches to it", async () => {
    const put = await aas.send(
      new PutScalingPolicyCommand({
        ...target,
        PolicyName: "steps",
        PolicyType: "StepScaling",
        StepScalingPolicyConfiguration: {
          AdjustmentType: "ChangeInCapacity",
          Cooldown: 30,
          StepAdjustments: [{ MetricIntervalLowerBound: 0, ScalingAdjustment: 1 }],
        },
      }),
    );
    expect(put.Alarms ?? []).toEqual([]);
    await cw.send(
      new PutMetricAlarmCommand({
        AlarmName: "queue-depth-high",
        Namespace: "Custom/Queue",
        MetricName: "Depth",
        Statistic: "Average",
        Period: 60,
        EvaluationPeriods: 1,
        Threshold: 100,
        ComparisonOperator: "GreaterThanOrEqualToThreshold",
        AlarmActions: [put.PolicyARN!],
      }),
    );
    const { ScalingPolicies } = await aas.send(
      new DescribeScalingPoliciesCommand({
        ServiceNamespace: "ecs",
        PolicyNames: ["steps"],
        ResourceId: RESOURCE,
      }),
    );
    expect(ScalingPolicies![0]!.Alarms?.map((a) => a.AlarmName)).toEqual(["queue-depth-high"]);
  });

  it("pages DescribeScalingPolicies with MaxResults and NextToken", async () => {
    const first = await aas.send(
      new DescribeScalingPoliciesCommand({
        ServiceNamespace: "ecs",
        ResourceId: RESOURCE,
        MaxResults: 1,
      }),
    );
    expect(first.ScalingPolicies?.map((p) => p.PolicyName)).toEqual(["cpu50"]);
    const second = await aas.send(
      new DescribeScalingPoliciesCommand({
        ServiceNamespace: "ecs",
        ResourceId: RESOURCE,
        MaxResults: 1,
        NextToken: first.NextToken!,
      }),
    );
    expect(second.ScalingPolicies?.map((p) => p.PolicyName)).toEqual(["steps"]);
    expect(second.NextToken).toBeUndefined();
  });

  it("deleting the target tracking policy deletes its alarms; unknown ones are ObjectNotFoundException", async () => {
    await aas.send(new DeleteScalingPolicyCommand({ ...target, PolicyName: "cpu50" }));
    const { MetricAlarms } = await cw.send(new DescribeAlarmsCommand({ AlarmNames: alarmNames }));
    expect(MetricAlarms).toEqual([]);
    const again = await aas
      .send(new DeleteScalingPolicyCommand({ ...target, PolicyName: "cpu50" }))
      .catch((e: unknown) => e);
    expect(again).toBeInstanceOf(ObjectNotFoundException);
  });

  it("deregisters the target; a second time is ObjectNotFoundException", async () => {
    await aas.send(new DeregisterScalableTargetCommand(target));
    const { ScalableTargets } = await aas.send(
      new DescribeScalableTargetsCommand({ ServiceNamespace: "ecs" }),
    );
    expect(ScalableTargets).toEqual([]);
    const { ScalingPolicies } = await aas.send(
      new DescribeScalingPoliciesCommand({ ServiceNamespace: "ecs", ResourceId: RESOURCE }),
    );
    expect(ScalingPolicies).toEqual([]);
    const again = await aas
      .send(new DeregisterScalableTargetCommand(target))
      .catch((e: unknown) => e);
    expect(again).toBeInstanceOf(ObjectNotFoundException);
  });
});
