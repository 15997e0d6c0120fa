import { CloudWatchClient, PutMetricDataCommand } from "@aws-sdk/client-cloudwatch";
import {
  CreateClusterCommand,
  ListContainerInstancesCommand,
  RegisterTaskDefinitionCommand,
  RunTaskCommand,
  type ECSClient,
} from "@aws-sdk/client-ecs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TEST_REGION, startTestSystem, type TestSystem } from "../../fixtures/system.js";
import { waitFor } from "../../fixtures/waitFor.js";
import { scrape, valueOf, type PromFamily } from "./promText.js";

/** Families every Flotilla process exports. */
const COMMON = [
  "flotilla_nats_connected",
  "flotilla_nats_reconnects_total",
  "flotilla_nats_errors_total",
  "flotilla_process_cpu_user_seconds_total",
  "flotilla_nodejs_eventloop_lag_seconds",
];

const expectFamilies = (families: Map<string, PromFamily>, names: readonly string[]) => {
  for (const name of names) expect(families.has(name), name).toBe(true);
};

describe("/metrics of every service", () => {
  let sys: TestSystem;
  let ecs: ECSClient;
  let urls: Record<"api" | "scheduler" | "autoscaler" | "agent", string>;

  beforeAll(async () => {
    // The agent registers 1024 MiB, so a task that needs 2048 cannot be placed.
    sys = await startTestSystem("ops_metrics", {
      serviceEnv: { agent: { FLOTILLA_AGENT_MEMORY_MIB: "1024" } },
    });
    ecs = sys.ecs();
    const p = sys.system.processes;
    urls = {
      api: sys.endpoint,
      scheduler: p.scheduler!.healthUrl,
      autoscaler: p.autoscaler!.healthUrl,
      agent: p.agent!.healthUrl,
    };
    // Some activity: a cluster, an agent registered in it, a task that cannot be placed
    // (more memory than the instance registered), a metric put, a request refused.
    await ecs.send(new CreateClusterCommand({ clusterName: "default" }));
    await waitFor(
      async () =>
        ((await ecs.send(new ListContainerInstancesCommand({ cluster: "default" })))
          .containerInstanceArns?.length ?? 0) > 0,
      "the agent to register",
      60_000,
      200,
    );
    await ecs.send(
      new RegisterTaskDefinitionCommand({
        family: "huge",
        containerDefinitions: [
          {
            name: "main",
            image: "flotilla-test/busybox:latest",
            memory: 2048,
            command: ["sleep", "60"],
          },
        ],
      }),
    );
    const run = await ecs.send(new RunTaskCommand({ cluster: "default", taskDefinition: "huge" }));
    expect(run.failures?.[0]?.reason).toBe("RESOURCE:MEMORY");
    const cw = new CloudWatchClient({
      endpoint: sys.endpoint,
      region: TEST_REGION,
      credentials: { accessKeyId: "AKIDCW", secretAccessKey: "test" },
      maxAttempts: 1,
    });
    await cw.send(
      new PutMetricDataCommand({
        Namespace: "Ops/Test",
        MetricData: [{ MetricName: "Requests", Value: 1 }],
      }),
    );
    cw.destroy();
    await expect(
      ecs.send(new CreateClusterCommand({ clusterName: "bad name!" })),
    ).rejects.toThrow();
  }, 180_000);

  afterAll(async () => {
    await sys?.stop();
  });

  it("the api: requests by action and outcome, its NATS connection and Postgres pool", async () => {
    const m = await scrape(urls.api);
    expectFamilies(m, [
      ...COMMON,
      "flotilla_api_requests_total",
      "flotilla_api_request_duration_seconds",
      "flotilla_pg_pool_clients",
      "flotilla_pg_pool_idle_clients",
      "flotilla_pg_pool_waiting_requests",
    ]);
    const ok = { action: "ecs:CreateCluster", outcome: "ok", service: "api" };
    expect(valueOf(m, "flotilla_api_requests_total", ok)).toBeGreaterThanOrEqual(1);
    expect(
      valueOf(m, "flotilla_api_requests_total", {
        action: "ecs:CreateCluster",
        outcome: "client_error",
      }),
    ).toBeGreaterThanOrEqual(1);
    expect(
      valueOf(m, "flotilla_api_requests_total", { action: "cloudwatch:PutMetricData" }),
    ).toBeGreaterThanOrEqual(1);
    expect(valueOf(m, "flotilla_api_request_duration_seconds_count", ok)).toBeGreaterThanOrEqual(1);
    expect(valueOf(m, "flotilla_nats_connected", { connection: "flotilla-api" })).toBe(1);
    expect(valueOf(m, "flotilla_pg_pool_clients", { pool: "main" })).toBeGreaterThanOrEqual(1);
  });

  it("the scheduler: commands, events, relay lag, reconcile passes, placement failures", async () => {
    // The relay reaches the end of the log (lag 0 events, 0 seconds); the public relay leads.
    let m = await scrape(urls.scheduler);
    await waitFor(
      async () => {
        m = await scrape(urls.scheduler);
        return (
          valueOf(m, "flotilla_relay_lag_events", { relay: "relay" }) === 0 &&
          valueOf(m, "flotilla_relay_leader", { relay: "public-relay" }) === 1
        );
      },
      "the relay's lag to reach 0",
      30_000,
      200,
    );
    expectFamilies(m, [
      ...COMMON,
      "flotilla_commands_handled_total",
      "flotilla_command_duration_seconds",
      "flotilla_commands_in_flight",
      "flotilla_events_appended_total",
      "flotilla_relay_lag_events",
      "flotilla_relay_lag_seconds",
      "flotilla_relay_leader",
      "flotilla_service_reconcile_pass_duration_seconds",
      "flotilla_placement_failures_total",
      "flotilla_pg_pool_clients",
    ]);
    const created = { owner: "scheduler", command: "CreateCluster", outcome: "ok" };
    expect(valueOf(m, "flotilla_commands_handled_total", created)).toBeGreaterThanOrEqual(1);
    expect(valueOf(m, "flotilla_command_duration_seconds_count", created)).toBeGreaterThanOrEqual(
      1,
    );
    expect(
      valueOf(m, "flotilla_events_appended_total", { type: "ClusterCreated" }),
    ).toBeGreaterThanOrEqual(1);
    expect(
      valueOf(m, "flotilla_events_appended_total", { type: "ContainerInstanceRegistered" }),
    ).toBeGreaterThanOrEqual(1);
    expect(valueOf(m, "flotilla_relay_lag_seconds", { relay: "relay" })).toBe(0);
    expect(valueOf(m, "flotilla_relay_leader", { relay: "relay" })).toBe(1);
    expect(valueOf(m, "flotilla_relay_leader", { relay: "public-relay" })).toBe(1);
    expect(
      valueOf(m, "flotilla_placement_failures_total", {
        source: "run_task",
        reason: "RESOURCE:MEMORY",
      }),
    ).toBe(1);
    expect(
      valueOf(m, "flotilla_service_reconcile_pass_duration_seconds_count", { scope: "sweep" }),
    ).toBeGreaterThanOrEqual(1);
    expect(valueOf(m, "flotilla_nats_connected", { connection: "flotilla-scheduler" })).toBe(1);
    expect(valueOf(m, "flotilla_commands_in_flight", { owner: "scheduler" }) ?? 0).toBe(0);
  });

  it("the autoscaler: its commands, NATS and pool", async () => {
    const m = await scrape(urls.autoscaler);
    expectFamilies(m, [...COMMON, "flotilla_commands_handled_total", "flotilla_pg_pool_clients"]);
    expect(
      valueOf(m, "flotilla_commands_handled_total", {
        owner: "autoscaler",
        command: "PutMetricData",
        outcome: "ok",
        service: "autoscaler",
      }),
    ).toBe(1);
    expect(valueOf(m, "flotilla_nats_connected", { connection: "flotilla-autoscaler" })).toBe(1);
  });

  it("the agent: its reconcile passes and NATS connection", async () => {
    let m = await scrape(urls.agent);
    await waitFor(
      async () => {
        m = await scrape(urls.agent);
        return (
          (valueOf(m, "flotilla_agent_reconcile_pass_duration_seconds_count", {
            outcome: "ok",
          }) ?? 0) >= 1
        );
      },
      "an agent reconcile pass",
      30_000,
      200,
    );
    expectFamilies(m, [...COMMON, "flotilla_agent_reconcile_pass_duration_seconds"]);
    expect(valueOf(m, "flotilla_nats_connected", { connection: "flotilla-agent" })).toBe(1);
    expect(
      valueOf(m, "flotilla_process_cpu_user_seconds_total", { service: "agent" }),
    ).toBeGreaterThan(0);
  });

  it("prints how long a scrape of each service takes", async () => {
    for (const [name, base] of Object.entries(urls)) {
      const started = performance.now();
      const families = await scrape(base);
      const ms = performance.now() - started;
      console.log(`/metrics ${name}: ${families.size} families in ${ms.toFixed(1)} ms`);
      expect(families.size).toBeGreaterThan(0);
    }
  });

  it("every /readyz names its checks", async () => {
    for (const [name, base] of Object.entries(urls)) {
      const res = await fetch(`${base}/readyz`);
      const body = (await res.json()) as { ready: boolean; checks: Record<string, boolean> };
      expect(res.status, name).toBe(200);
      if (name === "agent") {
        expect(body.checks).toEqual({ nats: true, runtime: true, registered: true });
      } else {
        expect(body.checks).toEqual({
          postgres: true,
          migrations: true,
          nats: true,
          serving: true,
        });
      }
    }
  });
});
