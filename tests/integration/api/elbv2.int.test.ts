import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { promisify } from "node:util";
import {
  CreateListenerCommand,
  CreateLoadBalancerCommand,
  CreateTargetGroupCommand,
  DeleteListenerCommand,
  DeleteLoadBalancerCommand,
  DeleteTargetGroupCommand,
  DeregisterTargetsCommand,
  DescribeListenersCommand,
  DescribeLoadBalancersCommand,
  DescribeTargetGroupAttributesCommand,
  DescribeTargetGroupsCommand,
  DescribeTargetHealthCommand,
  ElasticLoadBalancingV2Client,
  ModifyTargetGroupAttributesCommand,
  ModifyTargetGroupCommand,
  RegisterTargetsCommand,
} from "@aws-sdk/client-elastic-load-balancing-v2";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildApiServer } from "../../../services/api/server.js";
import type { SchedulerContext } from "../../../services/scheduler/context.js";
import {
  recordTargetHealth,
  recordTargetsDrained,
} from "../../../services/scheduler/loadBalancing/targetGroups/recordTargetHealth.js";
import { EventStore } from "../../../shared/eventstore/index.js";
import { upcastEvent } from "../../../shared/events/index.js";
import { silentLogger } from "../../../shared/log/index.js";
import { ALL_PROJECTIONS, rebuildProjections } from "../../../shared/projections/index.js";
import {
  startInProcessScheduler,
  type InProcessScheduler,
} from "../../fixtures/inProcessScheduler.js";
import { signedFetch, testPrincipalDirectory } from "../../fixtures/iam.js";

const ARN = { region: "us-east-1", accountId: "000000000000" };

describe("ELBv2 over the query protocol (AWS SDK v3, AWS CLI)", () => {
  let sched: InProcessScheduler;
  let app: ReturnType<typeof buildApiServer>;
  let endpoint: string;
  let elb: ElasticLoadBalancingV2Client;
  let lbCtx: SchedulerContext;

  beforeAll(async () => {
    sched = await startInProcessScheduler("elbv2");
    app = buildApiServer({
      db: sched.tdb.db,
      commands: sched.commands,
      arn: ARN,
      log: pino({ level: "silent" }),
      maxBodyBytes: 1 << 20,
      ready: () => Promise.resolve({ ready: true, checks: {} }),
      iam: testPrincipalDirectory(),
    });
    await app.listen({ host: "127.0.0.1", port: 0 });
    endpoint = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
    elb = new ElasticLoadBalancingV2Client({
      endpoint,
      region: ARN.region,
      credentials: { accessKeyId: "AKIDELBTEST", secretAccessKey: "test" },
      maxAttempts: 1,
    });
    lbCtx = {
      store: new EventStore(sched.tdb.db, { projections: ALL_PROJECTIONS, upcast: upcastEvent }),
      db: sched.tdb.db,
      arn: ARN,
      clock: () => new Date(),
      log: silentLogger,
    };
  });

  afterAll(async () => {
    elb?.destroy();
    await app?.close();
    await sched?.stop();
  });

  it("runs a target group, a load balancer and a listener through their lives", async () => {
    const created = await elb.send(
      new CreateTargetGroupCommand({ Name: "web", Protocol: "HTTP", Port: 80, VpcId: "vpc-1" }),
    );
    const tg = created.TargetGroups![0]!;
    expect(tg).toMatchObject({
      TargetGroupName: "web",
      Protocol: "HTTP",
      Port: 80,
      HealthCheckPath: "/",
      HealthCheckPort: "traffic-port",
      HealthCheckIntervalSeconds: 30,
      HealthCheckTimeoutSeconds: 5,
      HealthyThresholdCount: 5,
      UnhealthyThresholdCount: 2,
      Matcher: { HttpCode: "200" },
      TargetType: "instance",
    });
    expect(tg.TargetGroupArn).toMatch(
      /^arn:aws:elasticloadbalancing:us-east-1:000000000000:targetgroup\/web\/[0-9a-f]{16}$/,
    );
    const arn = tg.TargetGroupArn!;

    // Idempotent with the same settings; DuplicateTargetGroupName with others.
    const again = await elb.send(
      new CreateTargetGroupCommand({ Name: "web", Protocol: "HTTP", Port: 80 }),
    );
    expect(again.TargetGroups![0]!.TargetGroupArn).toBe(arn);
    await expect(
      elb.send(new CreateTargetGroupCommand({ Name: "web", Protocol: "HTTP", Port: 81 })),
    ).rejects.toMatchObject({ name: "DuplicateTargetGroupNameException" });
    await expect(
      elb.send(new CreateTargetGroupCommand({ Name: "-bad", Protocol: "HTTP", Port: 81 })),
    ).rejects.toMatchObject({ name: "ValidationError", $metadata: { httpStatusCode: 400 } });

    const modified = await elb.send(
      new ModifyTargetGroupCommand({
        TargetGroupArn: arn,
        HealthCheckPath: "/healthz",
        Matcher: { HttpCode: "200-299" },
      }),
    );
    expect(modified.TargetGroups![0]).toMatchObject({
      HealthCheckPath: "/healthz",
      Matcher: { HttpCode: "200-299" },
    });
    const attrs = await elb.send(
      new ModifyTargetGroupAttributesCommand({
        TargetGroupArn: arn,
        Attributes: [{ Key: "deregistration_delay.timeout_seconds", Value: "10" }],
      }),
    );
    expect(attrs.Attributes).toContainEqual({
      Key: "deregistration_delay.timeout_seconds",
      Value: "10",
    });
    const read = await elb.send(new DescribeTargetGroupAttributesCommand({ TargetGroupArn: arn }));
    expect(read.Attributes).toContainEqual({
      Key: "deregistration_delay.timeout_seconds",
      Value: "10",
    });
    await expect(
      elb.send(
        new ModifyTargetGroupAttributesCommand({
          TargetGroupArn: arn,
          Attributes: [{ Key: "deregistration_delay.timeout_seconds", Value: "3601" }],
        }),
      ),
    ).rejects.toMatchObject({ name: "ValidationError" });

    await elb.send(
      new RegisterTargetsCommand({
        TargetGroupArn: arn,
        Targets: [{ Id: "i-1", Port: 8080 }, { Id: "i-2" }],
      }),
    );
    // Registering again is a no-op.
    await elb.send(
      new RegisterTargetsCommand({ TargetGroupArn: arn, Targets: [{ Id: "i-1", Port: 8080 }] }),
    );
    const unused = await elb.send(new DescribeTargetHealthCommand({ TargetGroupArn: arn }));
    expect(unused.TargetHealthDescriptions).toEqual([
      {
        Target: { Id: "i-1", Port: 8080 },
        HealthCheckPort: "8080",
        TargetHealth: {
          State: "unused",
          Reason: "Target.NotInUse",
          Description: "Target group is not configured to receive traffic from the load balancer",
        },
      },
      {
        Target: { Id: "i-2", Port: 80 },
        HealthCheckPort: "80",
        TargetHealth: {
          State: "unused",
          Reason: "Target.NotInUse",
          Description: "Target group is not configured to receive traffic from the load balancer",
        },
      },
    ]);

    const lb = (
      await elb.send(
        new CreateLoadBalancerCommand({
          Name: "front",
          Type: "application",
          Subnets: ["subnet-1"],
        }),
      )
    ).LoadBalancers![0]!;
    expect(lb.LoadBalancerArn).toMatch(/:loadbalancer\/app\/front\/[0-9a-f]{16}$/);
    expect(lb.DNSName).toMatch(/^front-\d+\.us-east-1\.elb\.localhost$/);
    expect(lb).toMatchObject({
      Scheme: "internet-facing",
      Type: "application",
      State: { Code: "active" },
    });
    expect(lb.CreatedTime).toBeInstanceOf(Date);

    const listener = (
      await elb.send(
        new CreateListenerCommand({
          LoadBalancerArn: lb.LoadBalancerArn,
          Protocol: "HTTP",
          Port: 18080,
          DefaultActions: [{ Type: "forward", TargetGroupArn: arn }],
        }),
      )
    ).Listeners![0]!;
    expect(listener.ListenerArn).toMatch(/:listener\/app\/front\/[0-9a-f]{16}\/[0-9a-f]{16}$/);
    expect(listener.DefaultActions).toEqual([
      expect.objectContaining({ Type: "forward", TargetGroupArn: arn }),
    ]);
    // A port is one HAProxy bind: unique across every load balancer.
    const other = (await elb.send(new CreateLoadBalancerCommand({ Name: "other" })))
      .LoadBalancers![0]!;
    await expect(
      elb.send(
        new CreateListenerCommand({
          LoadBalancerArn: other.LoadBalancerArn,
          Protocol: "HTTP",
          Port: 18080,
          DefaultActions: [{ Type: "forward", TargetGroupArn: arn }],
        }),
      ),
    ).rejects.toMatchObject({ name: "DuplicateListenerException" });
    await expect(
      elb.send(new DeleteTargetGroupCommand({ TargetGroupArn: arn })),
    ).rejects.toMatchObject({
      name: "ResourceInUseException",
    });

    const byLb = await elb.send(
      new DescribeTargetGroupsCommand({ LoadBalancerArn: lb.LoadBalancerArn }),
    );
    expect(byLb.TargetGroups!.map((t) => [t.TargetGroupArn, t.LoadBalancerArns])).toEqual([
      [arn, [lb.LoadBalancerArn]],
    ]);
    expect(
      (await elb.send(new DescribeListenersCommand({ LoadBalancerArn: lb.LoadBalancerArn })))
        .Listeners,
    ).toHaveLength(1);

    // The HAProxy controller reports health; only changes are recorded.
    await recordTargetHealth(lbCtx, arn, [
      { target: { id: "i-1", port: 8080 }, state: "healthy" },
      {
        target: { id: "i-2", port: 80 },
        state: "unhealthy",
        reason: "Target.FailedHealthChecks",
        description: "Health checks failed",
      },
      { target: { id: "i-9", port: 80 }, state: "healthy" },
    ]);
    await recordTargetHealth(lbCtx, arn, [{ target: { id: "i-1", port: 8080 }, state: "healthy" }]);
    const health = await elb.send(new DescribeTargetHealthCommand({ TargetGroupArn: arn }));
    expect(health.TargetHealthDescriptions!.map((d) => [d.Target!.Id, d.TargetHealth])).toEqual([
      ["i-1", { State: "healthy" }],
      [
        "i-2",
        {
          State: "unhealthy",
          Reason: "Target.FailedHealthChecks",
          Description: "Health checks failed",
        },
      ],
    ]);
    const named = await elb.send(
      new DescribeTargetHealthCommand({ TargetGroupArn: arn, Targets: [{ Id: "i-7", Port: 80 }] }),
    );
    expect(named.TargetHealthDescriptions![0]!.TargetHealth).toMatchObject({
      State: "unused",
      Reason: "Target.NotRegistered",
    });

    await elb.send(
      new DeregisterTargetsCommand({ TargetGroupArn: arn, Targets: [{ Id: "i-1", Port: 8080 }] }),
    );
    const draining = await elb.send(new DescribeTargetHealthCommand({ TargetGroupArn: arn }));
    expect(draining.TargetHealthDescriptions![0]!.TargetHealth).toMatchObject({
      State: "draining",
      Reason: "Target.DeregistrationInProgress",
    });
    await expect(
      elb.send(
        new DeregisterTargetsCommand({ TargetGroupArn: arn, Targets: [{ Id: "i-404", Port: 1 }] }),
      ),
    ).rejects.toMatchObject({ name: "InvalidTargetException" });
    await recordTargetsDrained(lbCtx, arn, [{ id: "i-1", port: 8080 }]);
    const left = await elb.send(new DescribeTargetHealthCommand({ TargetGroupArn: arn }));
    expect(left.TargetHealthDescriptions!.map((d) => d.Target!.Id)).toEqual(["i-2"]);

    // Paging with Marker / PageSize.
    await elb.send(new CreateTargetGroupCommand({ Name: "api", Protocol: "HTTP", Port: 81 }));
    const first = await elb.send(new DescribeTargetGroupsCommand({ PageSize: 1 }));
    expect(first.TargetGroups!.map((t) => t.TargetGroupName)).toEqual(["api"]);
    const second = await elb.send(
      new DescribeTargetGroupsCommand({ PageSize: 1, Marker: first.NextMarker }),
    );
    expect(second.TargetGroups!.map((t) => t.TargetGroupName)).toEqual(["web"]);
    expect(second.NextMarker).toBeUndefined();
    await expect(
      elb.send(new DescribeTargetGroupsCommand({ Names: ["nope"] })),
    ).rejects.toMatchObject({
      name: "TargetGroupNotFoundException",
    });

    // Deleting the load balancer takes its listeners; then the group can go.
    await elb.send(new DeleteLoadBalancerCommand({ LoadBalancerArn: lb.LoadBalancerArn }));
    await elb.send(new DeleteLoadBalancerCommand({ LoadBalancerArn: lb.LoadBalancerArn }));
    await expect(
      elb.send(new DeleteListenerCommand({ ListenerArn: listener.ListenerArn })),
    ).rejects.toMatchObject({ name: "ListenerNotFoundException" });
    await elb.send(new DeleteTargetGroupCommand({ TargetGroupArn: arn }));
    await expect(
      elb.send(new DescribeTargetHealthCommand({ TargetGroupArn: arn })),
    ).rejects.toMatchObject({
      name: "TargetGroupNotFoundException",
    });
    const lbs = await elb.send(new DescribeLoadBalancersCommand({}));
    expect(lbs.LoadBalancers!.map((l) => l.LoadBalancerName)).toEqual(["other"]);

    // The projection rebuilt from the log equals the live one.
    const report = await rebuildProjections(sched.tdb.db, {
      projections: ALL_PROJECTIONS,
      upcast: upcastEvent,
    });
    expect(report.tables).toEqual(
      expect.arrayContaining(["target_groups", "targets", "load_balancers", "listeners"]),
    );
    expect(report.differences).toEqual([]);
  });

  it("answers unknown actions and bad input in ELBv2's XML error shape", async () => {
    const res = await signedFetch(
      endpoint,
      {
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: "Action=Nope&Version=2015-12-01",
      },
      "AKIDELBTEST",
      { service: "elasticloadbalancing" },
    );
    expect(res.status).toBe(400);
    const xml = await res.text();
    expect(xml).toContain(
      '<ErrorResponse xmlns="http://elasticloadbalancing.amazonaws.com/doc/2015-12-01/">',
    );
    expect(xml).toContain("<Code>InvalidAction</Code>");
    const bad = await signedFetch(
      endpoint,
      {
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: "Action=CreateTargetGroup&Version=2015-12-01&Name=x&Port=eighty",
      },
      "AKIDELBTEST",
      { service: "elasticloadbalancing" },
    );
    expect(bad.status).toBe(400);
    expect(await bad.text()).toMatch(
      /<Type>Sender<\/Type><Code>ValidationError<\/Code><Message>Port: /,
    );
  });

  // In CI (.ci/run installs awscli) a missing CLI fails instead of skipping.
  it.skipIf(!existsSync("/usr/bin/aws") && !process.env.CI)(
    "works with the AWS CLI v2",
    async () => {
      const aws = async (...args: string[]) => {
        const { stdout } = await promisify(execFile)(
          "/usr/bin/aws",
          [...args, "--endpoint-url", endpoint, "--output", "json"],
          {
            env: {
              ...process.env,
              AWS_ACCESS_KEY_ID: "AKIDCLI",
              AWS_SECRET_ACCESS_KEY: "test",
              AWS_DEFAULT_REGION: ARN.region,
              AWS_PAGER: "",
              AWS_CONFIG_FILE: "/dev/null",
              AWS_SHARED_CREDENTIALS_FILE: "/dev/null",
            },
          },
        );
        return JSON.parse(stdout) as Record<string, unknown>;
      };
      const out = await aws(
        "elbv2",
        "create-target-group",
        "--name",
        "cli",
        "--protocol",
        "HTTP",
        "--port",
        "80",
        "--vpc-id",
        "vpc-1",
      );
      const groups = out.TargetGroups as { TargetGroupName: string; TargetGroupArn: string }[];
      expect(groups[0]!.TargetGroupName).toBe("cli");
      await promisify(execFile)(
        "/usr/bin/aws",
        [
          "elbv2",
          "register-targets",
          "--target-group-arn",
          groups[0]!.TargetGroupArn,
          "--targets",
          "Id=i-1,Port=8080",
          "--endpoint-url",
          endpoint,
        ],
        {
          env: {
            ...process.env,
            AWS_ACCESS_KEY_ID: "AKIDCLI",
            AWS_SECRET_ACCESS_KEY: "test",
            AWS_DEFAULT_REGION: ARN.region,
            AWS_CONFIG_FILE: "/dev/null",
            AWS_SHARED_CREDENTIALS_FILE: "/dev/null",
          },
        },
      );
      const health = await aws(
        "elbv2",
        "describe-target-health",
        "--target-group-arn",
        groups[0]!.TargetGroupArn,
      );
      expect(health.TargetHealthDescriptions).toEqual([
        expect.objectContaining({ Target: { Id: "i-1", Port: 8080 } }),
      ]);
    },
  );
});
