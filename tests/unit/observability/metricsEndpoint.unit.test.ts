import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  countAppendedEvents,
  observePool,
  registry,
  startCommand,
  startProcessMetrics,
} from "../../../shared/observability/index.js";
import { startHealthServer } from "../../../shared/service/index.js";

/** The value of one sample line `name{labels} value` in a text exposition, or undefined. */
const sample = (text: string, name: string, labels: string): number | undefined => {
  const line = text.split("\n").find((l) => l.startsWith(`${name}{`) && l.includes(labels));
  return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(" ") + 1));
};

describe("the health server's /metrics", () => {
  let server: Awaited<ReturnType<typeof startHealthServer>>;
  let base: string;

  beforeAll(async () => {
    startProcessMetrics("unit-test");
    server = await startHealthServer("127.0.0.1", 0, {
      live: () => true,
      ready: () => Promise.resolve({ ready: true, checks: {} }),
    });
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it("answers in the Prometheus text format with the service label on every series", async () => {
    const res = await fetch(`${base}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await res.text();
    expect(text).toMatch(/^# HELP flotilla_process_cpu_user_seconds_total /m);
    expect(text).toMatch(/^# TYPE flotilla_commands_handled_total counter$/m);
    expect(text).toMatch(/^# TYPE flotilla_api_request_duration_seconds histogram$/m);
    const series = text.split("\n").filter((l) => l.startsWith("flotilla_process_cpu"));
    expect(series.length).toBeGreaterThan(0);
    for (const l of series) expect(l).toContain('service="unit-test"');
  });

  it("counts commands by outcome and times them", async () => {
    const before = await registry.metrics();
    const okBefore =
      sample(before, "flotilla_commands_handled_total", 'command="CreateCluster",outcome="ok"') ??
      0;
    startCommand("scheduler", "CreateCluster")("ok");
    startCommand("scheduler", "CreateCluster")("refused");
    const text = await (await fetch(`${base}/metrics`)).text();
    expect(
      sample(text, "flotilla_commands_handled_total", 'command="CreateCluster",outcome="ok"'),
    ).toBe(okBefore + 1);
    expect(
      sample(
        text,
        "flotilla_command_duration_seconds_count",
        'command="CreateCluster",outcome="refused"',
      ),
    ).toBeGreaterThanOrEqual(1);
    expect(sample(text, "flotilla_commands_in_flight", 'owner="scheduler"')).toBe(0);
  });

  it("counts appended events by type and reports pool counts at each scrape", async () => {
    countAppendedEvents([{ type: "ClusterCreated" }, { type: "ClusterCreated" }]);
    const counts = { totalCount: 3, idleCount: 1, waitingCount: 2 };
    const undo = observePool("unit", counts);
    let text = await (await fetch(`${base}/metrics`)).text();
    expect(
      sample(text, "flotilla_events_appended_total", 'type="ClusterCreated"'),
    ).toBeGreaterThanOrEqual(2);
    expect(sample(text, "flotilla_pg_pool_clients", 'pool="unit"')).toBe(3);
    expect(sample(text, "flotilla_pg_pool_idle_clients", 'pool="unit"')).toBe(1);
    expect(sample(text, "flotilla_pg_pool_waiting_requests", 'pool="unit"')).toBe(2);
    undo();
    text = await (await fetch(`${base}/metrics`)).text();
    expect(sample(text, "flotilla_pg_pool_clients", 'pool="unit"')).toBeUndefined();
  });

  it("still serves /healthz and /readyz, and 404 elsewhere", async () => {
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    expect((await fetch(`${base}/readyz`)).status).toBe(200);
    expect((await fetch(`${base}/nope`)).status).toBe(404);
  });
});
