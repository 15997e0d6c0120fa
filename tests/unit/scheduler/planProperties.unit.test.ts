import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { deploymentLimits } from "../../../services/scheduler/serviceScheduler/plan/deploymentLimits.js";
import { planService } from "../../../services/scheduler/serviceScheduler/plan/planService.js";
import {
  isFailingHealthChecks,
  isHealthy,
  isLive,
  isOnDrainingInstance,
  isOnLostInstance,
} from "../../../services/scheduler/serviceScheduler/plan/taskHealth.js";
import type {
  PlanInput,
  ServiceTask,
} from "../../../services/scheduler/serviceScheduler/plan/types.js";
import type { DomainEvent } from "../../../shared/events/index.js";
import { host, NOW, planInput, svcTask, type Host } from "./planFixtures.js";
import {
  DEPLOYMENT_1,
  DEPLOYMENT_2,
  serviceCreated,
  serviceDeleted,
  serviceDeploymentCompleted,
  serviceRedeployed,
  serviceSteadyStateReached,
} from "./schedulerFixtures.js";

const D1 = DEPLOYMENT_1;
const D2 = DEPLOYMENT_2;

type Phase = "first" | "completed" | "rolling" | "deleted";

interface TaskSpec {
  readonly host: number;
  readonly newer: boolean;
  readonly lastStatus: "PENDING" | "RUNNING" | "STOPPED";
  readonly stopRequested: boolean;
  readonly healthStatus: "HEALTHY" | "UNHEALTHY" | "UNKNOWN";
  readonly age: number;
  readonly stopCode: "TaskFailedToStart" | "EssentialContainerExited" | "UserInitiated";
}

interface WorldSpec {
  readonly desired: number;
  readonly min: number;
  readonly max: number;
  readonly breaker: { readonly enable: boolean; readonly rollback: boolean };
  readonly grace: number | undefined;
  readonly phase: Phase;
  readonly hosts: readonly Pick<Host, "zone" | "status" | "agentConnected">[];
  readonly tasks: readonly TaskSpec[];
  readonly healthChecked: readonly string[];
}

const arbTask: fc.Arbitrary<TaskSpec> = fc.record({
  host: fc.nat({ max: 9 }),
  newer: fc.boolean(),
  lastStatus: fc.constantFrom("PENDING", "RUNNING", "RUNNING", "STOPPED"),
  stopRequested: fc.constantFrom(false, false, false, false, true),
  healthStatus: fc.constantFrom("HEALTHY", "HEALTHY", "UNHEALTHY", "UNKNOWN"),
  age: fc.integer({ min: 1, max: 1000 }),
  stopCode: fc.constantFrom("TaskFailedToStart", "EssentialContainerExited", "UserInitiated"),
});

const arbWorld: fc.Arbitrary<WorldSpec> = fc.record({
  desired: fc.integer({ min: 0, max: 8 }),
  min: fc.integer({ min: 0, max: 100 }),
  max: fc.integer({ min: 100, max: 200 }),
  breaker: fc.record({ enable: fc.boolean(), rollback: fc.boolean() }),
  grace: fc.option(fc.integer({ min: 0, max: 600 }), { nil: undefined }),
  phase: fc.constantFrom<Phase>("first", "completed", "rolling", "rolling", "deleted"),
  hosts: fc.array(
    fc.record({
      zone: fc.constantFrom("a", "b", "c"),
      status: fc.constantFrom<Host["status"]>("ACTIVE", "ACTIVE", "ACTIVE", "DRAINING", "INACTIVE"),
      agentConnected: fc.constantFrom(true, true, true, true, false),
    }),
    { minLength: 1, maxLength: 5 },
  ),
  tasks: fc.array(arbTask, { maxLength: 12 }),
  healthChecked: fc.subarray([D1, D2]),
});

const historyOf = (w: WorldSpec): DomainEvent[] => {
  const created = serviceCreated({
    desiredCount: w.desired,
    deploymentConfiguration: {
      minimumHealthyPercent: w.min,
      maximumPercent: w.max,
      deploymentCircuitBreaker: w.breaker,
    },
    ...(w.grace === undefined ? {} : { healthCheckGracePeriodSeconds: w.grace }),
  });
  const completed = [created, serviceDeploymentCompleted(D1), serviceSteadyStateReached()];
  switch (w.phase) {
    case "first":
      return [created];
    case "completed":
      return completed;
    case "rolling":
      return [...completed, serviceRedeployed(D2, 2)];
    case "deleted":
      return [...completed, serviceDeleted(true)];
  }
};

const tasksOf = (w: WorldSpec): ServiceTask[] =>
  w.tasks.map((s, i) => {
    const deploymentId = s.newer && w.phase === "rolling" ? D2 : D1;
    const fields: Partial<ServiceTask> =
      s.lastStatus === "STOPPED"
        ? {
            lastStatus: "STOPPED",
            desiredStatus: "STOPPED",
            startedAt: s.stopCode === "UserInitiated" ? NOW - s.age - 60 : undefined,
            stoppedAt: NOW - s.age,
            stopCode: s.stopCode,
          }
        : {
            lastStatus: s.lastStatus,
            desiredStatus: s.stopRequested ? "STOPPED" : "RUNNING",
            startedAt: s.lastStatus === "RUNNING" ? NOW - s.age : undefined,
          };
    return svcTask(`t${i}`, deploymentId, `h${s.host % w.hosts.length}`, {
      healthStatus: s.healthStatus,
      createdAt: NOW - s.age - 100 - i,
      ...fields,
    });
  });

const inputOf = (w: WorldSpec): PlanInput =>
  planInput({
    service: historyOf(w),
    hosts: w.hosts.map((h, i) => host(`h${i}`, h)),
    tasks: tasksOf(w),
    healthChecked: w.healthChecked,
  });

/** What planService itself counts: live tasks neither on a lost instance nor failing health checks. */
const usableOf = (input: PlanInput): ServiceTask[] => {
  const grace = input.service.healthCheckGracePeriodSeconds ?? 0;
  return input.tasks.filter(
    (t) =>
      isLive(t) &&
      !isOnLostInstance(t, input.instances) &&
      !isFailingHealthChecks(t, grace, input.now),
  );
};

const limitsOf = (input: PlanInput) =>
  deploymentLimits(
    input.service.status === "DRAINING" ? 0 : input.service.desiredCount,
    input.service.deploymentConfiguration,
  );

const RUNS = { numRuns: 400 };

describe("planService properties (REPLICA)", () => {
  it("(a) tasks started + usable live tasks never exceed maxTotal = floor(desired × max%)", () => {
    fc.assert(
      fc.property(arbWorld, (w) => {
        const input = inputOf(w);
        const plan = planService(input);
        const started = plan.start?.instances.length ?? 0;
        const room = Math.max(0, limitsOf(input).maxTotal - usableOf(input).length);
        expect(started).toBeLessThanOrEqual(room);
      }),
      RUNS,
    );
  });

  it("(b) the scheduler's own stops never push healthy tasks below min(minHealthy, healthy before)", () => {
    fc.assert(
      fc.property(arbWorld, (w) => {
        const input = inputOf(w);
        const plan = planService(input);
        const stopped = new Set(plan.stop.flatMap((s) => s.taskArns));
        const healthy = usableOf(input).filter((t) => isHealthy(t, input.healthChecked));
        const left = healthy.filter((t) => !stopped.has(t.taskArn)).length;
        expect(left).toBeGreaterThanOrEqual(Math.min(limitsOf(input).minHealthy, healthy.length));
      }),
      RUNS,
    );
  });

  it("(c) every stopped task is live and stopped once, in one stop order", () => {
    fc.assert(
      fc.property(arbWorld, (w) => {
        const input = inputOf(w);
        const plan = planService(input);
        const arns = plan.stop.flatMap((s) => s.taskArns);
        expect(new Set(arns).size).toBe(arns.length);
        const live = new Set(input.tasks.filter(isLive).map((t) => t.taskArn));
        for (const arn of arns) expect(live.has(arn)).toBe(true);
        for (const s of plan.stop) expect(s.taskArns.length).toBeGreaterThan(0);
      }),
      RUNS,
    );
  });

  /**
   * The current deployment's tasks: usable, of the PRIMARY, not on a DRAINING instance (those
   * on DRAINING instances, lost instances or failing health checks are replaced, so they do not
   * count here).
   */
  const currentOf = (input: PlanInput): ServiceTask[] => {
    const primary = input.service.deployments.find((d) => d.status === "PRIMARY");
    return usableOf(input).filter(
      (t) => t.deploymentId === primary?.id && !isOnDrainingInstance(t, input.instances),
    );
  };

  /** Desired 4 at 100/200: one RUNNING task and two PENDING ones of the current deployment. */
  const scaleUpWithPending: WorldSpec = {
    desired: 4,
    min: 100,
    max: 200,
    breaker: { enable: false, rollback: false },
    grace: undefined,
    phase: "completed",
    hosts: [
      { zone: "a", status: "ACTIVE", agentConnected: true },
      { zone: "b", status: "ACTIVE", agentConnected: true },
    ],
    tasks: [
      {
        host: 0,
        newer: false,
        lastStatus: "RUNNING",
        stopRequested: false,
        healthStatus: "HEALTHY",
        age: 500,
        stopCode: "UserInitiated",
      },
      {
        host: 1,
        newer: false,
        lastStatus: "PENDING",
        stopRequested: false,
        healthStatus: "UNKNOWN",
        age: 10,
        stopCode: "UserInitiated",
      },
      {
        host: 0,
        newer: false,
        lastStatus: "PENDING",
        stopRequested: false,
        healthStatus: "UNKNOWN",
        age: 10,
        stopCode: "UserInitiated",
      },
    ],
    healthChecked: [],
  };

  // Regression (fixed; was services/scheduler/serviceScheduler/plan/planReplica.ts:64, see planService.unit.test.ts):
  // scaling up calls pick(current, current.length − desired) with a negative n and
  // `slice(0, n)` then stops all but |n| of the current deployment's not-healthy tasks, and starts
  // replacements for them: started = desired − (current − stopped) > desired − current. The
  // example below is the minimal case (desired 4, 1 RUNNING + 2 PENDING: stops 1, starts 2).
  it("(d) started never exceeds desired − the current deployment's live tasks", () => {
    fc.assert(
      fc.property(arbWorld, (w) => {
        const input = inputOf(w);
        const plan = planService(input);
        const started = plan.start?.instances.length ?? 0;
        const desired = input.service.status === "DRAINING" ? 0 : input.service.desiredCount;
        expect(started).toBeLessThanOrEqual(Math.max(0, desired - currentOf(input).length));
      }),
      { ...RUNS, examples: [[scaleUpWithPending]] },
    );
  });

  it("(d′) started never exceeds desired − the current deployment's live tasks kept by the plan", () => {
    // The same bound counted after the plan's own stops: it holds, the churn in (d) aside.
    fc.assert(
      fc.property(arbWorld, (w) => {
        const input = inputOf(w);
        const plan = planService(input);
        const stopped = new Set(plan.stop.flatMap((s) => s.taskArns));
        const kept = currentOf(input).filter((t) => !stopped.has(t.taskArn)).length;
        const started = plan.start?.instances.length ?? 0;
        const desired = input.service.status === "DRAINING" ? 0 : input.service.desiredCount;
        expect(started).toBeLessThanOrEqual(Math.max(0, desired - kept));
      }),
      RUNS,
    );
  });

  it("(e) the plan is deterministic: the same input gives a deep-equal plan", () => {
    fc.assert(
      fc.property(arbWorld, (w) => {
        expect(planService(inputOf(w))).toEqual(planService(inputOf(w)));
        const input = inputOf(w);
        expect(planService(input)).toEqual(planService(input));
      }),
      RUNS,
    );
  });
});
