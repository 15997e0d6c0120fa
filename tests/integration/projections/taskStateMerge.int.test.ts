import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { emptyFoldState } from "../../../shared/projections/fold/foldState.js";
import { taskFold } from "../../../shared/projections/fold/taskFold.js";
import { taskProjection } from "../../../shared/projections/taskProjection.js";
import { createTestDatabase, type TestDatabase } from "../../fixtures/database.js";
import { recordedEventSequence } from "../../fixtures/recordedEvents.js";

const ARN = "arn:aws:ecs:eu-west-1:123456789012";
/** Container names, one a JavaScript object's special key. */
const NAMES = ["app", "sidecar", "__proto__"] as const;

const recorded = recordedEventSequence();

const reportedContainer = fc.record(
  {
    name: fc.constantFrom(...NAMES),
    lastStatus: fc.constantFrom("PENDING", "RUNNING", "STOPPED"),
    exitCode: fc.integer({ min: 0, max: 255 }),
    reason: fc.constantFrom("OOM", "done"),
    runtimeId: fc.string({ minLength: 1, maxLength: 8 }),
    networkBindings: fc.constant([
      { bindIP: "127.0.0.1", containerPort: 80, hostPort: 32768, protocol: "tcp" },
    ]),
    healthStatus: fc.constantFrom("HEALTHY", "UNHEALTHY"),
  },
  { requiredKeys: ["name", "lastStatus"] },
);

const report = fc.record(
  {
    lastStatus: fc.constantFrom("PENDING", "RUNNING", "STOPPED"),
    containers: fc.array(reportedContainer, { maxLength: 4 }),
    stopCode: fc.constantFrom("TaskFailedToStart", "EssentialContainerExited"),
    stoppedReason: fc.constantFrom("first", "second"),
    healthStatus: fc.constantFrom("HEALTHY", "UNHEALTHY"),
  },
  { requiredKeys: ["lastStatus", "containers"] },
);

/**
 * A state report's one-statement UPDATE (taskProjection) merges containers as
 * the in-memory fold does, whatever the report names, omits or repeats.
 */
describe("a task state report in SQL", () => {
  let tdb: TestDatabase;
  beforeAll(async () => {
    tdb = await createTestDatabase("taskmerge");
  });
  afterAll(async () => {
    await tdb?.drop();
  });

  it("merges the reported containers as the fold does", async () => {
    let n = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.uniqueArray(fc.constantFrom(...NAMES), { minLength: 1, maxLength: 3 }),
        fc.array(report, { minLength: 1, maxLength: 4 }),
        async (names, reports) => {
          const taskArn = `${ARN}:task/c/${++n}`;
          const events = [
            recorded("TaskCreated", {
              clusterName: "c",
              taskArn,
              taskDefinitionArn: `${ARN}:task-definition/web:1`,
              containerInstanceArn: `${ARN}:container-instance/c/1`,
              launchType: "EC2",
              group: "family:web",
              overrides: {},
              tags: [],
              cpu: "256",
              memory: "512",
              containers: names.map((name) => ({
                containerArn: `${ARN}:container/c/${n}/${name}`,
                name,
                image: "busybox",
                essential: true,
                cpu: "0",
              })),
              createdAt: 1_790_000_000,
            }),
            ...reports.map((r, i) =>
              recorded("TaskStateChanged", {
                clusterName: "c",
                taskArn,
                ...r,
                at: 1_790_000_010 + i,
              }),
            ),
          ];
          const state = emptyFoldState();
          for (const e of events) {
            taskFold.fold(state, e);
            await taskProjection.apply(tdb.db, e);
          }
          const live = await tdb.db
            .selectFrom("tasks")
            .select(["containers", "last_status", "health_status", "stop_code", "stopped_reason"])
            .where("task_arn", "=", taskArn)
            .executeTakeFirstOrThrow();
          const folded = state.tasks.get(taskArn)!;
          expect(live).toEqual({
            containers: folded.containers,
            last_status: folded.last_status,
            health_status: folded.health_status,
            stop_code: folded.stop_code,
            stopped_reason: folded.stopped_reason,
          });
        },
      ),
      { numRuns: 60 },
    );
  });
});
