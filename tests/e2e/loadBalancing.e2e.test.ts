import { execFile } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import {
  CreateServiceCommand,
  DescribeServicesCommand,
  DescribeTasksCommand,
  ListContainerInstancesCommand,
  ListTasksCommand,
  RegisterTaskDefinitionCommand,
  UpdateServiceCommand,
  waitUntilServicesStable,
  type ContainerDefinition,
  type ECSClient,
  type Task,
} from "@aws-sdk/client-ecs";
import {
  CreateListenerCommand,
  CreateLoadBalancerCommand,
  CreateTargetGroupCommand,
  DescribeTargetHealthCommand,
  ElasticLoadBalancingV2Client,
  ModifyTargetGroupAttributesCommand,
} from "@aws-sdk/client-elastic-load-balancing-v2";
import Docker from "dockerode";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findFreePort } from "../../scripts/supervisor.js";
import { TEST_REGION, startTestSystem, type TestSystem } from "../fixtures/system.js";
import { waitFor as pollUntil } from "../fixtures/waitFor.js";

const run = promisify(execFile);
const taskIdOf = (arn: string) => arn.slice(arn.lastIndexOf("/") + 1);
const IMAGE = "flotilla-test/busybox:latest";
const CLUSTER = "default";

const waitFor = (check: () => Promise<boolean>, what: string, ms = 90_000) =>
  pollUntil(check, what, ms, 250);

/** busybox httpd answering its version on 8080 from /www/index.html. */
const httpd = (version: string): ContainerDefinition => ({
  name: "web",
  image: IMAGE,
  cpu: 32,
  memory: 32,
  essential: true,
  portMappings: [{ containerPort: 8080, hostPort: 0, protocol: "tcp" }],
  command: [
    "sh",
    "-c",
    `mkdir -p /www && echo ${version} > /www/index.html && exec httpd -f -p 8080 -h /www`,
  ],
});

/** A client sending steady requests through the listener, counting answers. */
class SteadyClient {
  readonly answers = new Map<string, number>();
  failures = 0;
  requests = 0;
  last = "";
  private running = true;
  private readonly done: Promise<void>;

  constructor(url: string) {
    this.done = (async () => {
      while (this.running) {
        this.requests++;
        try {
          const res = await fetch(url, { signal: AbortSignal.timeout(5_000) });
          const body = (await res.text()).trim();
          if (res.status !== 200) this.failures++;
          else {
            this.answers.set(body, (this.answers.get(body) ?? 0) + 1);
            this.last = body;
          }
        } catch {
          this.failures++;
        }
        await new Promise((r) => setTimeout(r, 10));
      }
    })();
  }

  async stop(): Promise<void> {
    this.running = false;
    await this.done;
  }
}

/**
 * A service behind a listener on a real HAProxy, through the AWS SDK for ECS
 * and ELBv2: a rolling update with zero failed requests, a task failing its
 * health check replaced, and HAProxy killed and restored mid-traffic.
 */
describe("load balancing on HAProxy", () => {
  let sys: TestSystem;
  let ecs: ECSClient;
  let elb: ElasticLoadBalancingV2Client;
  let listenerUrl = "";
  let targetGroupArn = "";
  const stateDir = mkdtempSync(join(tmpdir(), "flotilla-lb-e2e-"));
  const docker = new Docker();
  const td: Record<string, string> = {};

  beforeAll(async () => {
    sys = await startTestSystem("e2e_lb", {
      serviceEnv: {
        scheduler: { LB_HAPROXY: "start", LB_HAPROXY_DIR: stateDir, SERVICE_SWEEP_MS: "1000" },
      },
    });
    ecs = sys.ecs();
    elb = new ElasticLoadBalancingV2Client({
      endpoint: sys.endpoint,
      region: TEST_REGION,
      credentials: { accessKeyId: "AKIDLB", secretAccessKey: "test" },
      maxAttempts: 1,
    });
    await waitFor(
      async () =>
        ((await ecs.send(new ListContainerInstancesCommand({}))).containerInstanceArns ?? [])
          .length === 1,
      "the agent to register",
    );
    const tg = await elb.send(
      new CreateTargetGroupCommand({
        Name: "web",
        Protocol: "HTTP",
        Port: 8080,
        VpcId: "vpc-local",
        HealthCheckPath: "/",
        HealthCheckIntervalSeconds: 5,
        HealthCheckTimeoutSeconds: 2,
        HealthyThresholdCount: 2,
        UnhealthyThresholdCount: 2,
      }),
    );
    targetGroupArn = tg.TargetGroups![0]!.TargetGroupArn!;
    await elb.send(
      new ModifyTargetGroupAttributesCommand({
        TargetGroupArn: targetGroupArn,
        Attributes: [{ Key: "deregistration_delay.timeout_seconds", Value: "5" }],
      }),
    );
    const lb = await elb.send(
      new CreateLoadBalancerCommand({ Name: "front", Type: "application" }),
    );
    const port = await findFreePort();
    await elb.send(
      new CreateListenerCommand({
        LoadBalancerArn: lb.LoadBalancers![0]!.LoadBalancerArn!,
        Protocol: "HTTP",
        Port: port,
        DefaultActions: [{ Type: "forward", TargetGroupArn: targetGroupArn }],
      }),
    );
    listenerUrl = `http://127.0.0.1:${port}/`;
    for (const v of ["v1", "v2"]) {
      const out = await ecs.send(
        new RegisterTaskDefinitionCommand({ family: "web", containerDefinitions: [httpd(v)] }),
      );
      td[v] = out.taskDefinition!.taskDefinitionArn!;
    }
  }, 120_000);

  afterAll(async () => {
    elb?.destroy();
    await sys?.stop();
  });

  const stable = () =>
    waitUntilServicesStable(
      { client: ecs, maxWaitTime: 180, minDelay: 1, maxDelay: 2 },
      { cluster: CLUSTER, services: ["web"] },
    );
  const healthyTargets = async () =>
    (
      (await elb.send(new DescribeTargetHealthCommand({ TargetGroupArn: targetGroupArn })))
        .TargetHealthDescriptions ?? []
    ).filter((t) => t.TargetHealth?.State === "healthy").length;
  const runningTasks = async (): Promise<Task[]> => {
    const arns = (await ecs.send(new ListTasksCommand({ serviceName: "web" }))).taskArns ?? [];
    if (arns.length === 0) return [];
    return (await ecs.send(new DescribeTasksCommand({ tasks: arns }))).tasks ?? [];
  };

  it("a 3-task service behind the listener: a rolling update v1 → v2 fails no request", async () => {
    await ecs.send(
      new CreateServiceCommand({
        cluster: CLUSTER,
        serviceName: "web",
        taskDefinition: td.v1,
        desiredCount: 3,
        healthCheckGracePeriodSeconds: 15,
        loadBalancers: [{ targetGroupArn, containerName: "web", containerPort: 8080 }],
        deploymentConfiguration: { minimumHealthyPercent: 100, maximumPercent: 200 },
      }),
    );
    await stable();
    expect(await healthyTargets()).toBe(3);
    const client = new SteadyClient(listenerUrl);
    await new Promise((r) => setTimeout(r, 1_000));
    await ecs.send(
      new UpdateServiceCommand({ cluster: CLUSTER, service: "web", taskDefinition: td.v2 }),
    );
    await waitFor(
      async () =>
        ((await ecs.send(new DescribeServicesCommand({ services: ["web"] }))).services?.[0]
          ?.deployments?.length ?? 0) === 2,
      "the v2 deployment",
    );
    await stable();
    await new Promise((r) => setTimeout(r, 1_000));
    await client.stop();
    console.log(
      `rolling update through HAProxy: ${client.requests} requests, ${client.failures} failed, ` +
        `answers ${JSON.stringify(Object.fromEntries(client.answers))}`,
    );
    expect(client.failures).toBe(0);
    expect(client.answers.get("v1") ?? 0).toBeGreaterThan(0);
    expect(client.answers.get("v2") ?? 0).toBeGreaterThan(0);
    expect(client.last).toBe("v2");
    expect(await healthyTargets()).toBe(3);
  }, 300_000);

  it("a task whose container stops answering its health check is taken out and replaced", async () => {
    const [victim] = await runningTasks();
    const containerId = victim!.containers![0]!.runtimeId!;
    const exec = await docker.getContainer(containerId).exec({
      Cmd: ["rm", "/www/index.html"],
      AttachStdout: true,
      AttachStderr: true,
    });
    await exec.start({});
    await waitFor(async () => {
      const t = (await ecs.send(new DescribeTasksCommand({ tasks: [victim!.taskArn!] })))
        .tasks![0]!;
      return t.desiredStatus === "STOPPED";
    }, "the unhealthy task to be taken out");
    await waitFor(
      async () =>
        (await runningTasks()).filter((t) => t.taskArn !== victim!.taskArn).length === 3 &&
        (await healthyTargets()) === 3,
      "a healthy replacement",
    );
    const { services } = await ecs.send(new DescribeServicesCommand({ services: ["web"] }));
    const messages = services![0]!.events!.map((e) => e.message ?? "");
    // Taken out of rotation first (its target drains), then stopped.
    expect(messages).toContain("(service web) has begun draining connections on 1 tasks.");
    expect(messages.filter((m) => m.includes(taskIdOf(victim!.taskArn!)))).toEqual(
      expect.arrayContaining([expect.stringContaining("failed its health checks")]),
    );
  }, 180_000);

  it("HAProxy killed mid-traffic: the controller restores every server within seconds", async () => {
    const client = new SteadyClient(listenerUrl);
    await new Promise((r) => setTimeout(r, 500));
    const { stdout } = await run("pgrep", ["-f", stateDir]);
    const pids = stdout.split("\n").filter(Boolean).map(Number);
    expect(pids.length).toBeGreaterThan(0);
    const killedAt = Date.now();
    for (const pid of pids) process.kill(pid, "SIGKILL");
    const failuresBefore = client.failures;
    await waitFor(async () => {
      try {
        const res = await fetch(listenerUrl, { signal: AbortSignal.timeout(1_000) });
        return res.status === 200 && (await healthyTargets()) === 3;
      } catch {
        return false;
      }
    }, "HAProxy back with every server");
    const restoredMs = Date.now() - killedAt;
    // Every server answers again: three different containers behind the listener.
    await new Promise((r) => setTimeout(r, 1_000));
    await client.stop();
    console.log(
      `HAProxy kill -9: serving again after ${restoredMs} ms; the client saw ` +
        `${client.failures - failuresBefore} failed of ${client.requests} requests`,
    );
    expect(restoredMs).toBeLessThan(15_000);
  }, 120_000);
});
