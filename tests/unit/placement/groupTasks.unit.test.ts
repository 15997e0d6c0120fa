import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  byArn,
  sortedByArn,
  withPlacedTask,
  withTask,
} from "../../../services/scheduler/placement/candidates.js";
import {
  countGroupTasks,
  groupTaskCounter,
} from "../../../services/scheduler/placement/groupTasks.js";
import {
  place,
  type CandidateTask,
  type PlacementCandidate,
  type PlacementRequest,
} from "../../../services/scheduler/placement/index.js";
import { arnOf, cap, instance, request, task } from "./fixtures.js";

const GROUPS = ["service:a", "service:b", "service:c", "family:a", "service:a "];

const plainCount = (tasks: readonly CandidateTask[], group: string) =>
  tasks.filter((t) => t.group === group).length;

const taskListArb = fc
  .array(fc.constantFrom(...GROUPS), { maxLength: 10 })
  .map((groups) => groups.map((g, i) => task(`t${i}`, g)));

describe("group task counts, remembered per task list", () => {
  it("count what a plain filter counts, however often and in whatever order they are asked", () => {
    fc.assert(
      fc.property(
        fc.array(taskListArb, { minLength: 1, maxLength: 6 }),
        fc.array(fc.tuple(fc.nat(), fc.constantFrom(...GROUPS, "service:none")), {
          maxLength: 30,
        }),
        (lists, asks) => {
          // A counter made before any list names its group still counts it.
          const counters = new Map(GROUPS.map((g) => [g, groupTaskCounter(`${g}`)]));
          for (const [at, group] of asks) {
            const list = lists[at % lists.length]!;
            expect(countGroupTasks(list, group)).toBe(plainCount(list, group));
            const counter = counters.get(group) ?? groupTaskCounter(group);
            expect(counter(list)).toBe(plainCount(list, group));
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it("stay right across a new name table (past 65,536 group names)", () => {
    const before = [task("t1", "service:kept"), task("t2", "service:kept"), task("t3", "x")];
    const counter = groupTaskCounter("service:kept");
    expect(counter(before)).toBe(2);
    const many = Array.from({ length: 70_000 }, (_, i) => task(`m${i}`, `service:n${i}`));
    expect(countGroupTasks(many, "service:n69999")).toBe(1);
    // The names were renumbered: old lists and old counters still count correctly.
    expect(counter(before)).toBe(2);
    expect(countGroupTasks(before, "x")).toBe(1);
    expect(groupTaskCounter("service:n5")(many)).toBe(1);
    expect(counter([task("t4", "service:kept")])).toBe(1);
  });
});

const clusterArb = fc
  .array(
    fc.record({
      groups: fc.array(fc.constantFrom(...GROUPS), { maxLength: 4 }),
      az: fc.constantFrom("us-east-1a", "us-east-1b"),
      cpu: fc.integer({ min: 0, max: 1024 }),
    }),
    { maxLength: 8 },
  )
  .map((rows) =>
    rows.map((r, i) =>
      instance(`i${i}`, {
        az: r.az,
        remaining: cap(r.cpu, 2048),
        tasks: r.groups.map((g, j) => task(`i${i}-${j}`, g)),
      }),
    ),
  );

const requestArb: fc.Arbitrary<PlacementRequest> = fc
  .record({
    group: fc.constantFrom(...GROUPS),
    count: fc.integer({ min: 1, max: 6 }),
    distinct: fc.boolean(),
    field: fc.constantFrom("instanceId", "attribute:ecs.availability-zone"),
    seed: fc.integer(),
  })
  .map((r) =>
    request({
      group: r.group,
      count: r.count,
      need: cap(128, 256),
      strategies: [{ type: "spread", field: r.field }, { type: "random" }],
      constraints: r.distinct ? [{ type: "distinctInstance" }] : [],
      seed: r.seed,
    }),
  );

describe("place against the same instances, request after request", () => {
  it("decides as it does on fresh copies of them (nothing remembered leaks into a decision)", () => {
    fc.assert(
      fc.property(
        clusterArb,
        fc.array(requestArb, { minLength: 1, maxLength: 8 }),
        (cluster, rs) => {
          for (const r of rs) {
            expect(place(cluster, r)).toEqual(place(structuredClone(cluster), r));
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe("sortedByArn", () => {
  it("is a stable sort by ARN, and a new array", () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.constantFrom("a", "b", "c", "b0", "a1"), fc.nat()), {
          maxLength: 12,
        }),
        (rows) => {
          const candidates = rows.map(([id, n]) => ({
            ...instance(id),
            ec2InstanceId: `i-${n}`,
          }));
          const sorted = sortedByArn(candidates);
          expect(sorted).not.toBe(candidates);
          expect(sorted.map((c) => c.ec2InstanceId)).toEqual(
            [...candidates].sort(byArn).map((c) => c.ec2InstanceId),
          );
          expect(sorted.map((c) => c.containerInstanceArn)).toEqual(
            rows.map(([id]) => arnOf(id)).sort(),
          );
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe("withPlacedTask", () => {
  it("gives the value withTask gives", () => {
    const c: PlacementCandidate = instance("x", {
      remaining: cap(1000, 2000, [22, 80], [53]),
      tasks: [task("old", "service:a")],
    });
    for (const need of [cap(100, 200), cap(100, 200, [8080]), cap(1, 2, [], [161])]) {
      const t = task("new", "service:b");
      expect(withPlacedTask(c, { ...t, reserved: need })).toEqual(withTask(c, t, need));
    }
  });
});
