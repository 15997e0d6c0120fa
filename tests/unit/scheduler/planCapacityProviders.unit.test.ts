import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { splitByStrategy } from "../../../shared/domain/capacityProviders/strategy.js";
import type { DomainEvent } from "../../../shared/events/index.js";
import { planService } from "../../../services/scheduler/serviceScheduler/plan/planService.js";
import {
  scaleInByProvider,
  surplusTasks,
} from "../../../services/scheduler/serviceScheduler/plan/providerShares.js";
import type {
  PlanInput,
  ServicePlan,
  ServiceTask,
} from "../../../services/scheduler/serviceScheduler/plan/types.js";
import {
  host,
  hostOf,
  instanceArn,
  planInput,
  stopping,
  svcTask,
  type Host,
} from "./planFixtures.js";
import { DEPLOYMENT_1, serviceCreated } from "./schedulerFixtures.js";

/** FARGATE base 1 weight 1 + FARGATE_SPOT weight 3: the strategy. */
const STRATEGY = [
  { capacityProvider: "FARGATE", weight: 1, base: 1 },
  { capacityProvider: "FARGATE_SPOT", weight: 3, base: 0 },
];

/** Pool hosts: `f…` in the FARGATE pool, `s…` in FARGATE_SPOT, `c…` the cluster's own. */
const providerOfHost = (id: string): string | undefined =>
  id.startsWith("f") ? "FARGATE" : id.startsWith("s") ? "FARGATE_SPOT" : undefined;

const POOL_HOSTS = ["f1", "f2", "s1", "s2"];

const created = (desiredCount: number, strategy = STRATEGY): DomainEvent =>
  serviceCreated({ desiredCount, launchType: undefined, capacityProviderStrategy: strategy });

/** A PlanInput through providers: every candidate on an `f`/`s` host is its pool's. */
const providerInput = (
  service: readonly DomainEvent[],
  tasks: readonly ServiceTask[],
  hosts: readonly Host[] = POOL_HOSTS.map((h) => host(h)),
  strategy = STRATEGY,
): PlanInput => {
  const input = planInput({ service, hosts, tasks });
  const providerOf = new Map<string, string>();
  for (const h of hosts) {
    const p = providerOfHost(h.id);
    if (p !== undefined) providerOf.set(instanceArn(h.id), p);
  }
  return { ...input, providers: { strategy, providerOf } };
};

/** A RUNNING task of the service placed through `provider` on `hostId`. */
const through = (id: string, hostId: string, fields: Partial<ServiceTask> = {}): ServiceTask =>
  svcTask(id, DEPLOYMENT_1, hostId, {
    ...(providerOfHost(hostId) === undefined
      ? {}
      : { capacityProviderName: providerOfHost(hostId) }),
    ...fields,
  });

const startsByProvider = (plan: ServicePlan): Record<string, number> => {
  const out: Record<string, number> = {};
  for (const arn of plan.start?.instances ?? []) {
    const p = providerOfHost(hostOf(arn)) ?? "cluster";
    out[p] = (out[p] ?? 0) + 1;
  }
  return out;
};

const stoppedTasks = (plan: ServicePlan): string[] =>
  plan.stop.flatMap((s) => s.taskArns.map((a) => a.slice(a.lastIndexOf("/") + 1))).sort();

describe("service tasks through capacity providers", () => {
  it("splits 9 new tasks of FARGATE base 1 weight 1 + FARGATE_SPOT weight 3 as 3 + 6", () => {
    const plan = planService(providerInput([created(9)], []));
    expect(startsByProvider(plan)).toEqual({ FARGATE: 3, FARGATE_SPOT: 6 });
  });

  it("places each share only on its own provider's instances, never on the cluster's", () => {
    const hosts = [...POOL_HOSTS, "c1", "c2"].map((h) => host(h));
    const plan = planService(providerInput([created(9)], [], hosts));
    expect(startsByProvider(plan)).toEqual({ FARGATE: 3, FARGATE_SPOT: 6 });
  });

  it("replaces interrupted spot tasks on FARGATE_SPOT, restoring the split", () => {
    const running = [
      ...["a", "b", "c"].map((id) => through(id, "f1")),
      ...["d", "e", "f", "g", "h", "i"].map((id) => through(id, "s1")),
    ];
    // Four spot tasks were interrupted: desired STOPPED, still there until their agent stops them.
    const tasks = running.map((t, i) => (i >= 5 ? stopping(t) : t));
    const plan = planService(providerInput([created(9)], tasks));
    expect(startsByProvider(plan)).toEqual({ FARGATE_SPOT: 4 });
    expect(stoppedTasks(plan)).toEqual([]);
  });

  it("leaves a share unplaced when its provider has no capacity: no overflow to the other", () => {
    const plan = planService(providerInput([created(9)], [], [host("f1"), host("f2")]));
    expect(startsByProvider(plan)).toEqual({ FARGATE: 3 });
    expect(plan.events.map((e) => e.type)).toContain("ServiceTaskPlacementFailed");
  });

  it("scales in from the provider most over its share of the new count", () => {
    const tasks = [
      ...["a", "b", "c"].map((id) => through(id, "f1")),
      ...["d", "e", "f", "g", "h", "i"].map((id) => through(id, "s1")),
    ];
    // 5 tasks: 1 + 4 × ¼ = 2 on FARGATE, 3 on FARGATE_SPOT.
    const plan = planService(providerInput([created(5)], tasks));
    const stopped = new Set(stoppedTasks(plan));
    expect(stopped.size).toBe(4);
    expect(["a", "b", "c"].filter((id) => stopped.has(id))).toHaveLength(1);
    expect(["d", "e", "f", "g", "h", "i"].filter((id) => stopped.has(id))).toHaveLength(3);
  });

  it("scales in the tasks of providers the strategy no longer names first", () => {
    const counts = new Map([
      ["FARGATE", 3],
      ["FARGATE_SPOT", 6],
      ["", 2],
    ]);
    expect(Object.fromEntries(scaleInByProvider(STRATEGY, counts, 2))).toEqual({ "": 2 });
    expect(Object.fromEntries(scaleInByProvider(STRATEGY, counts, 3))).toEqual({
      "": 2,
      FARGATE_SPOT: 1,
    });
  });

  it("replaces tasks over their provider's share, starting the replacements first", () => {
    // 9 on FARGATE, none on spot (spot capacity had been gone): 6 move to spot.
    const tasks = ["a", "b", "c", "d", "e", "f", "g", "h", "i"].map((id) =>
      through(id, id < "e" ? "f1" : "f2"),
    );
    const plan = planService(providerInput([created(9)], tasks));
    expect(startsByProvider(plan)).toEqual({ FARGATE_SPOT: 6 });
    // minimumHealthyPercent 100: nothing healthy stops before its replacement runs.
    expect(stoppedTasks(plan)).toEqual([]);
    const surplus = surplusTasks(
      { strategy: STRATEGY, providerOf: new Map() },
      tasks,
      9,
      () => true,
    );
    expect(surplus).toHaveLength(6);
  });

  it("a service with a launch type sees no providers: EC2 placement as before", () => {
    const input = planInput({
      service: [serviceCreated({ desiredCount: 2 })],
      hosts: [host("c1")],
      tasks: [],
    });
    expect(planService(input).start?.instances).toHaveLength(2);
  });
});

/** Applies a plan the way the system would, at once: starts run, stops are gone. */
const applyStep = (tasks: ServiceTask[], plan: ServicePlan, step: number): ServiceTask[] => {
  const stopped = new Set(plan.stop.flatMap((s) => s.taskArns));
  const left = tasks.filter((t) => !stopped.has(t.taskArn));
  const started = (plan.start?.instances ?? []).map((arn, i) =>
    through(`n${step}x${i}`, hostOf(arn)),
  );
  return [...left, ...started];
};

const countsOf = (tasks: readonly ServiceTask[]): Map<string, number> => {
  const m = new Map<string, number>();
  for (const t of tasks) {
    const k = t.capacityProviderName ?? "";
    m.set(k, (m.get(k) ?? 0) + 1);
  }
  return m;
};

describe("property: repeated steps converge to the strategy's split", () => {
  it("from any distribution of existing tasks, when capacity suffices", () => {
    fc.assert(
      fc.property(
        fc.record({
          fargate: fc.record({ weight: fc.integer({ min: 0, max: 5 }), base: fc.nat({ max: 4 }) }),
          spot: fc.record({ weight: fc.integer({ min: 0, max: 5 }) }),
          spotFirst: fc.boolean(),
          desired: fc.integer({ min: 0, max: 14 }),
          existing: fc.record({
            f: fc.nat({ max: 10 }),
            s: fc.nat({ max: 10 }),
            legacy: fc.nat({ max: 3 }),
          }),
          min: fc.constantFrom(0, 50, 100),
        }),
        ({ fargate, spot, spotFirst, desired, existing, min }) => {
          fc.pre(fargate.weight + spot.weight > 0);
          const items = [
            { capacityProvider: "FARGATE", weight: fargate.weight, base: fargate.base },
            { capacityProvider: "FARGATE_SPOT", weight: spot.weight, base: 0 },
          ];
          const strategy = spotFirst ? [items[1]!, items[0]!] : items;
          const service = [
            serviceCreated({
              desiredCount: desired,
              launchType: undefined,
              capacityProviderStrategy: strategy,
              deploymentConfiguration: {
                minimumHealthyPercent: min,
                maximumPercent: 200,
                deploymentCircuitBreaker: { enable: false, rollback: false },
              },
            }),
          ];
          const hosts = [...POOL_HOSTS, "c1"].map((h) => host(h));
          let tasks: ServiceTask[] = [
            ...Array.from({ length: existing.f }, (_, i) => through(`f${i}`, "f1")),
            ...Array.from({ length: existing.s }, (_, i) => through(`s${i}`, "s1")),
            ...Array.from({ length: existing.legacy }, (_, i) => through(`c${i}`, "c1")),
          ];
          for (let step = 0; step < 8; step++) {
            const plan = planService(providerInput(service, tasks, hosts, strategy));
            tasks = applyStep(tasks, plan, step);
          }
          const split = splitByStrategy(strategy, desired);
          const counts = countsOf(tasks);
          expect(tasks).toHaveLength(desired);
          strategy.forEach((item, i) =>
            expect(counts.get(item.capacityProvider) ?? 0).toBe(split[i]),
          );
          expect(counts.get("") ?? 0).toBe(0);
        },
      ),
      { numRuns: 200 },
    );
  });
});
