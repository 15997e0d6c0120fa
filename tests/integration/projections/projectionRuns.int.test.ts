import fc from "fast-check";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  applyProjections,
  type InlineProjection,
  type RecordedEvent,
} from "../../../shared/eventstore/index.js";
import { ALL_PROJECTIONS } from "../../../shared/projections/index.js";
import { createTestDatabase, type TestDatabase } from "../../fixtures/database.js";
import { recordedEventSequence } from "../../fixtures/recordedEvents.js";

const ARN = "arn:aws:ecs:eu-west-1:123456789012";
const TABLES = ["tasks", "task_reservations", "container_instances", "resource_tags"] as const;

const placement = fc.record({
  instance: fc.integer({ min: 0, max: 3 }),
  tcpPorts: fc.uniqueArray(fc.integer({ min: 1, max: 65535 }), { maxLength: 2 }),
  tags: fc.uniqueArray(
    fc.record({ key: fc.constantFrom("team", "env", "x y"), value: fc.option(fc.string()) }),
    { selector: (t) => t.key, maxLength: 2 },
  ),
  zone: fc.option(fc.constantFrom("eu-west-1a", "eu-west-1b"), { nil: undefined }),
  startedBy: fc.option(fc.constantFrom("ecs-svc/1", "me"), { nil: undefined }),
  command: fc.option(fc.array(fc.string(), { maxLength: 2 }), { nil: undefined }),
  memory: fc.option(fc.constantFrom("128", "512"), { nil: undefined }),
});

const report = fc.record(
  {
    task: fc.nat(),
    lastStatus: fc.constantFrom("PENDING", "RUNNING", "STOPPED"),
    healthStatus: fc.constantFrom("HEALTHY", "UNHEALTHY"),
    containers: fc.array(
      fc.record(
        {
          name: fc.constantFrom("app", "__proto__", "other"),
          lastStatus: fc.constantFrom("RUNNING", "STOPPED"),
          exitCode: fc.integer({ min: 0, max: 255 }),
          runtimeId: fc.string({ minLength: 1, maxLength: 6 }),
        },
        { requiredKeys: ["name", "lastStatus"] },
      ),
      { maxLength: 2 },
    ),
    startedAt: fc.integer({ min: 1_772_323_200, max: 1_772_400_000 }),
    stoppedAt: fc.integer({ min: 1_772_323_200, max: 1_772_400_000 }),
    stopCode: fc.constantFrom("TaskFailedToStart", "EssentialContainerExited"),
    stoppedReason: fc.string({ maxLength: 8 }),
    attachments: fc.constant([
      {
        id: "eni-attachment",
        type: "ElasticNetworkInterface",
        status: "ATTACHED",
        details: [{ name: "privateIPv4Address", value: "10.0.0.7" }],
      },
    ]),
  },
  { requiredKeys: ["task", "lastStatus", "containers"] },
);

/**
 * A service step's events as the store records them (every TaskPlaced, by
 * instance stream, then every TaskCreated) go to each projection a run at a
 * time (applyRun), and so does a batch of agent reports that may name a task
 * more than once: the tables come out as they do from one event at a time.
 */
describe("projections applied a run of events at a time", () => {
  let single: TestDatabase;
  let runs: TestDatabase;
  const recorded = recordedEventSequence();
  const calls: Record<string, number> = {};
  // The real projections, each run-applier counted, so the test knows it ran.
  const counted: InlineProjection[] = ALL_PROJECTIONS.map((p) =>
    p.applyRun === undefined
      ? p
      : {
          ...p,
          applyRun: Object.fromEntries(
            Object.entries(p.applyRun).map(([type, applyRun]) => [
              type,
              async (
                db: Parameters<InlineProjection["apply"]>[0],
                run: readonly RecordedEvent[],
              ) => {
                calls[type] = (calls[type] ?? 0) + 1;
                await applyRun!(db, run);
              },
            ]),
          ),
        },
  );

  const dump = async (tdb: TestDatabase) =>
    Promise.all(
      TABLES.map(
        async (t) => (await sql`SELECT * FROM ${sql.table(t)} ORDER BY 1, 2`.execute(tdb.db)).rows,
      ),
    );

  beforeAll(async () => {
    [single, runs] = await Promise.all([
      createTestDatabase("runs_single"),
      createTestDatabase("runs_batch"),
    ]);
  });
  afterAll(async () => {
    await Promise.all([single?.drop(), runs?.drop()]);
  });

  it("gives the same rows as applying the events one by one", async () => {
    let step = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(placement, { minLength: 1, maxLength: 12 }),
        fc.array(report, { maxLength: 12 }),
        async (tasks, reports) => {
          step++;
          const instanceArn = (i: number) => `${ARN}:container-instance/c/${step}-${i}`;
          // Instances 0–2 are registered; 3 is not, so its version updates find no row.
          const registered = [0, 1, 2].map((i) =>
            recorded("ContainerInstanceRegistered", {
              clusterName: "c",
              containerInstanceArn: instanceArn(i),
              ec2InstanceId: `i-${step}-${i}`,
              availabilityZone: "eu-west-1a",
              registeredResources: [{ name: "CPU", type: "INTEGER", integerValue: 2048 }],
              attributes: [],
              versionInfo: { agentVersion: "1.0.0" },
              tags: [],
              registeredAt: 1_772_323_200,
            }),
          );
          const arns = tasks.map((_, k) => `${ARN}:task/c/${step}-${k}`);
          const byInstance = tasks
            .map((t, k) => ({ t, k }))
            .sort((a, b) => a.t.instance - b.t.instance);
          const placed = byInstance.map(({ t, k }) =>
            recorded("TaskPlaced", {
              clusterName: "c",
              containerInstanceArn: instanceArn(t.instance),
              taskArn: arns[k],
              reserved: { cpu: 256, memory: 512, tcpPorts: t.tcpPorts, udpPorts: [] },
            }),
          );
          // The first placement again: the reservation stays as it was.
          placed.push(recorded("TaskPlaced", placed[0]!.data));
          const created = tasks.map((t, k) =>
            recorded("TaskCreated", {
              clusterName: "c",
              taskArn: arns[k],
              taskDefinitionArn: `${ARN}:task-definition/web:3`,
              containerInstanceArn: instanceArn(t.instance),
              ...(t.zone === undefined ? {} : { availabilityZone: t.zone }),
              launchType: "EC2",
              group: "service:web",
              ...(t.startedBy === undefined ? {} : { startedBy: t.startedBy }),
              overrides:
                t.command === undefined
                  ? {}
                  : { containerOverrides: [{ name: "app", command: t.command }] },
              tags: t.tags.map((g) => (g.value === null ? { key: g.key } : g)),
              cpu: "256",
              memory: "512",
              containers: [
                {
                  containerArn: `${ARN}:container/c/${step}-${k}/app`,
                  name: "app",
                  image: "busybox",
                  essential: true,
                  cpu: "0",
                  ...(t.memory === undefined ? {} : { memory: t.memory }),
                },
              ],
              createdAt: 1_772_323_200.123 + k,
            }),
          );
          const reported = reports.map(({ task, ...r }) =>
            recorded("TaskStateChanged", {
              clusterName: "c",
              taskArn: arns[task % arns.length],
              ...r,
              at: 1_772_400_000,
            }),
          );
          const events = [...registered, ...placed, ...created, ...reported];
          for (const e of events) await applyProjections(single.db, ALL_PROJECTIONS, [e]);
          await applyProjections(runs.db, counted, events);
          expect(await dump(runs)).toEqual(await dump(single));
        },
      ),
      { numRuns: 30 },
    );
    expect(calls.TaskPlaced).toBeGreaterThan(0);
    expect(calls.TaskStateChanged).toBeGreaterThan(0);
    expect(calls.TaskCreated).toBeGreaterThan(0);
  });
});
