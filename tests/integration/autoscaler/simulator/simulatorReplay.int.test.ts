import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { replay, simulate } from "../../../../services/autoscaler/simulator/index.js";
import { insertMetricData } from "../../../../shared/metrics/index.js";
import { createTestDatabase, type TestDatabase } from "../../../fixtures/database.js";

const root = new URL("../../../../", import.meta.url).pathname;
const example = JSON.parse(
  readFileSync(join(root, "docs/examples/simulate-step-scaling.json"), "utf8"),
) as {
  PutMetricData: { Namespace: string; MetricData: { Timestamp: string; Value: number }[] }[];
} & Record<string, unknown>;

// "Last night": the example's 26 minutes, moved to six hours ago.
const EXAMPLE_START = Date.parse("2026-01-01T00:00:00Z");
const BASE = Math.floor(Date.now() / 3600_000) * 3600_000 - 6 * 3600_000;
const shift = (iso: string) => new Date(Date.parse(iso) - EXAMPLE_START + BASE);
const range = { start: new Date(BASE), end: new Date(BASE + 26 * 60_000) };

let tdb: TestDatabase;

beforeAll(async () => {
  tdb = await createTestDatabase("simreplay");
  for (const request of example.PutMetricData) {
    await insertMetricData(
      tdb.db,
      request.Namespace,
      request.MetricData.map((d) => ({
        metricName: "QueueDepthPerTask",
        dimensions: [{ name: "Queue", value: "jobs" }],
        timestamp: shift(d.Timestamp),
        value: d.Value,
        unit: "Count",
      })),
      new Date(),
    );
  }
});

afterAll(async () => {
  await tdb?.drop();
});

const timeline = (out: Awaited<ReturnType<typeof replay>>) =>
  out.ScalingActivities.map((a) => [
    Date.parse(a.StartTime) - Date.parse(out.StartTime),
    a.StatusCode,
    a.Description,
  ]);

describe("simulator --replay against the metric history in Postgres", () => {
  it("decides what the policies would have done, as the simulation of the same data does", async () => {
    const replayed = await replay(
      { ...example, PutMetricData: [], EndTime: undefined },
      tdb.db,
      range,
    );
    const simulated = await simulate(example);
    expect(replayed.ScalingActivities.length).toBeGreaterThan(0);
    expect(timeline(replayed)).toEqual(timeline(simulated));
    expect(replayed.StartTime).toBe(range.start.toISOString());
    expect(replayed.ScalingActivities[0]).toMatchObject({
      StartTime: new Date(BASE + 7 * 60_000).toISOString(),
      Description: "Setting desired count to 4.",
      StatusCode: "Successful",
    });
  });

  it("finds no data outside the stored range: the alarms stay INSUFFICIENT_DATA", async () => {
    const out = await replay(example, tdb.db, {
      start: new Date(BASE - 3600_000),
      end: new Date(BASE - 1800_000),
    });
    expect(out.ScalingActivities).toEqual([]);
    expect(out.AlarmTransitions).toEqual([]);
  });

  it("runs as `npm run autoscaling:simulate -- --replay`", async () => {
    const dir = mkdtempSync(join(tmpdir(), "simreplay-"));
    const input = join(dir, "policy.json");
    writeFileSync(input, JSON.stringify({ ...example, PutMetricData: [] }));
    const { stdout } = await promisify(execFile)(
      join(root, "node_modules/.bin/tsx"),
      [
        join(root, "scripts/autoscalingSimulate.ts"),
        "--replay",
        input,
        "--start",
        range.start.toISOString(),
        "--end",
        range.end.toISOString(),
      ],
      { env: { ...process.env, DATABASE_URL: tdb.url }, cwd: root },
    );
    const out = JSON.parse(stdout) as Awaited<ReturnType<typeof replay>>;
    expect(out.Summary).toMatchObject({ ScaleOuts: 3, ScaleIns: 6 });
  });
});
