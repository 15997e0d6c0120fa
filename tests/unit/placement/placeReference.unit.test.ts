import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  filterChain,
  place,
  seededRng,
  withTask,
  type PlacementCandidate,
  type PlacementConstraint,
  type PlacementDecision,
  type PlacementRequest,
  type PlacementStrategy,
} from "../../../services/scheduler/placement/index.js";
import {
  NO_INSTANCES,
  NO_INSTANCE_MET_REQUIREMENTS,
} from "../../../services/scheduler/placement/place.js";
import { cap, instance, task } from "./fixtures.js";

/**
 * The engine keeps scores and eligibility current across a batch instead of
 * recomputing them for every task (services/scheduler/placement/chooser.ts).
 * This is the plain rule it must agree with, decision for decision: every
 * task, filter every instance, score the eligible ones with each strategy in
 * order over the whole cluster, take the lowest vector (ties: lowest ARN).
 */
const reference = (
  candidates: readonly PlacementCandidate[],
  r: PlacementRequest,
): PlacementDecision => {
  const filters = filterChain(r.constraints, r.requiredAttributes);
  const rng = seededRng(r.seed);
  const ctx = { need: r.need, group: r.group };
  let cluster = [...candidates].sort((a, b) =>
    a.containerInstanceArn < b.containerInstanceArn
      ? -1
      : a.containerInstanceArn > b.containerInstanceArn
        ? 1
        : 0,
  );
  const inGroup = (c: PlacementCandidate) => c.tasks.filter((t) => t.group === r.group).length;
  const scoreAll = (s: PlacementStrategy, eligible: PlacementCandidate[]): number[] => {
    if (s.type === "random") return eligible.map(() => rng());
    if (s.type === "binpack") {
      const field = s.field!.toLowerCase() as "cpu" | "memory";
      return eligible.map((c) => c.remaining[field]);
    }
    const field = s.field!;
    const valueOf = (c: PlacementCandidate) =>
      /^(instanceid|host)$/i.test(field)
        ? c.containerInstanceArn
        : (c.attributes[field.slice("attribute:".length)] ?? "\u0000missing");
    const counts = new Map<string, number>();
    for (const c of cluster) counts.set(valueOf(c), (counts.get(valueOf(c)) ?? 0) + inGroup(c));
    return eligible.map((c) => counts.get(valueOf(c))!);
  };
  const placements: string[] = [];
  const failures: PlacementDecision["failures"][number][] = [];
  for (let i = 0; i < r.count; i++) {
    const eligible = cluster.filter((c) => filters.every((f) => f.accepts(c, ctx)));
    if (eligible.length === 0) {
      let best: { c: PlacementCandidate; first: number; fails: number } | undefined;
      for (const c of cluster) {
        const failed = filters.map((f) => !f.accepts(c, ctx));
        const first = failed.indexOf(true);
        const fails = failed.filter(Boolean).length;
        if (!best || first > best.first || (first === best.first && fails < best.fails)) {
          best = { c, first, fails };
        }
      }
      const failure = best
        ? {
            reason: NO_INSTANCE_MET_REQUIREMENTS,
            closest: {
              arn: best.c.containerInstanceArn,
              missing: filters[best.first]!.missing,
              code: filters[best.first]!.code,
            },
          }
        : { reason: NO_INSTANCES };
      while (failures.length + placements.length < r.count) failures.push(failure);
      break;
    }
    const scores = r.strategies.map((s) => scoreAll(s, eligible));
    let best = 0;
    for (let j = 1; j < eligible.length; j++) {
      for (const s of scores) {
        if (s[j] !== s[best]) {
          if (s[j]! < s[best]!) best = j;
          break;
        }
      }
    }
    const chosen = eligible[best]!;
    const placed = { taskArn: `(placement ${i})`, group: r.group, taskDefinitionArn: "" };
    cluster = cluster.map((c) => (c === chosen ? withTask(c, placed, r.need) : c));
    placements.push(chosen.containerInstanceArn);
  }
  return { placements, failures };
};

const GROUPS = ["service:web", "service:other", "family:x"];

const candidateArb = (id: string): fc.Arbitrary<PlacementCandidate> =>
  fc
    .record({
      cpu: fc.integer({ min: 0, max: 2048 }),
      memory: fc.integer({ min: 0, max: 4096 }),
      tcp: fc.subarray([80, 443, 8080]),
      status: fc.constantFrom("ACTIVE" as const, "ACTIVE" as const, "DRAINING" as const),
      connected: fc.constantFrom(true, true, true, false),
      az: fc.option(fc.constantFrom("us-east-1a", "us-east-1b", "us-east-1c"), { nil: undefined }),
      type: fc.constantFrom("t2.micro", "m5.large"),
      groups: fc.array(fc.constantFrom(...GROUPS), { maxLength: 4 }),
    })
    .map((r) =>
      instance(id, {
        registered: cap(r.cpu, r.memory),
        remaining: cap(r.cpu, r.memory, r.tcp),
        status: r.status,
        agentConnected: r.connected,
        attributes: {
          ...(r.az === undefined ? {} : { "ecs.availability-zone": r.az }),
          "ecs.instance-type": r.type,
        },
        tasks: r.groups.map((g, i) => task(`${id}-${i}`, g)),
        runningTasksCount: r.groups.length,
      }),
    );

/** Up to 40 instances, in no particular order. */
const clusterArb = fc
  .shuffledSubarray(
    Array.from({ length: 40 }, (_, i) => `${(i * 7919) % 1000}`.padStart(3, "0")),
    { maxLength: 40 },
  )
  .chain((ids) => fc.tuple(...ids.map(candidateArb)));

const strategyArb: fc.Arbitrary<PlacementStrategy> = fc.constantFrom(
  { type: "binpack", field: "cpu" },
  { type: "binpack", field: "memory" },
  { type: "spread", field: "instanceId" },
  { type: "spread", field: "host" },
  { type: "spread", field: "attribute:ecs.availability-zone" },
  { type: "spread", field: "attribute:ecs.instance-type" },
  { type: "random" },
);

const constraintArb: fc.Arbitrary<PlacementConstraint> = fc.constantFrom(
  { type: "distinctInstance" },
  { type: "memberOf", expression: "attribute:ecs.instance-type =~ t2.*" },
  { type: "memberOf", expression: "not task:group == service:other" },
  { type: "memberOf", expression: "runningTasksCount < 3" },
);

const requestArb: fc.Arbitrary<PlacementRequest> = fc.record({
  need: fc
    .record({
      cpu: fc.integer({ min: 0, max: 600 }),
      memory: fc.integer({ min: 0, max: 1200 }),
      tcp: fc.subarray([80, 8080]),
    })
    .map((n) => cap(n.cpu, n.memory, n.tcp)),
  group: fc.constantFrom(...GROUPS),
  count: fc.integer({ min: 0, max: 30 }),
  strategies: fc.array(strategyArb, { maxLength: 3 }),
  constraints: fc.array(constraintArb, { maxLength: 2 }),
  seed: fc.oneof(fc.string(), fc.integer()),
  requiredAttributes: fc.option(fc.constant(["ecs.availability-zone"]), { nil: undefined }),
});

describe("place agrees with the plain rule", () => {
  it("gives the same decision as recomputing everything for every task", () => {
    fc.assert(
      fc.property(clusterArb, requestArb, (cluster, r) => {
        expect(place(cluster, r)).toEqual(reference(cluster, r));
      }),
      { numRuns: 1500 },
    );
  });
});
