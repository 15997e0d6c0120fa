import { describe, expect, it } from "vitest";
import { planService } from "../../../services/scheduler/serviceScheduler/plan/planService.js";
import type {
  ServicePlan,
  ServiceTask,
} from "../../../services/scheduler/serviceScheduler/plan/types.js";
import type { DeploymentConfiguration, DomainEvent } from "../../../shared/events/index.js";
import { expectValidEvents } from "./givenWhenThen.js";
import {
  eventTypes,
  failedToStart,
  host,
  hosts,
  NOW,
  pending,
  planInput,
  serviceState,
  startedHosts,
  startedPerZone,
  stopped,
  stoppedIds,
  stopping,
  svcTask,
  type World,
} from "./planFixtures.js";
import {
  arnOfRevision,
  DEPLOYMENT_1,
  DEPLOYMENT_2,
  SERVICE_ARN,
  serviceCreated,
  serviceDeleted,
  serviceDeploymentCompleted,
  serviceRedeployed,
  serviceSteadyStateReached,
} from "./schedulerFixtures.js";

const D1 = DEPLOYMENT_1;
const D2 = DEPLOYMENT_2;
const IDS = { clusterName: "demo", serviceArn: SERVICE_ARN };

const config = (
  min: number,
  max: number,
  breaker = { enable: false, rollback: false },
): DeploymentConfiguration => ({
  minimumHealthyPercent: min,
  maximumPercent: max,
  deploymentCircuitBreaker: breaker,
});

/** A REPLICA service of `desired` tasks whose first deployment (D1, web:1) completed. */
const settled = (
  desired: number,
  cfg = config(100, 200),
  extra: Partial<Parameters<typeof serviceCreated>[0]> = {},
) => [
  serviceCreated({ desiredCount: desired, deploymentConfiguration: cfg, ...extra }),
  serviceDeploymentCompleted(D1),
  serviceSteadyStateReached(),
];

/** …then rolled to D2 (web:2). */
const rolling = (desired: number, cfg = config(100, 200)) => [
  ...settled(desired, cfg),
  serviceRedeployed(D2, 2),
];

const FOUR = hosts("a1", "a2", "b1", "b2");

/** One task of `deploymentId` on each host, ids `<prefix>-<host>`. */
const onEach = (prefix: string, deploymentId: string, on: readonly string[]): ServiceTask[] =>
  on.map((h) => svcTask(`${prefix}-${h}`, deploymentId, h));

/** Plans and checks every event against its catalogue schema. */
const plan = (w: World): ServicePlan => {
  const p = planService(planInput(w));
  expectValidEvents(p.events);
  return p;
};

/** The state once the plan's events are folded onto the service's history. */
const after = (history: readonly DomainEvent[], p: ServicePlan) => [...history, ...p.events];

describe("planService: REPLICA", () => {
  it("a new service places its desired tasks spread 2+2 over the zones", () => {
    const p = plan({ service: [serviceCreated({ desiredCount: 4 })], hosts: FOUR });
    expect(p.start?.deploymentId).toBe(D1);
    expect(startedPerZone(p)).toEqual({ a: 2, b: 2 });
    expect(startedHosts(p)).toEqual(["a1", "a2", "b1", "b2"]);
    expect(p.stop).toEqual([]);
    expect(p.events).toEqual([]);
  });

  it("with nowhere to place, records ECS's placement failure once, then not again soon", () => {
    const cluster = [host("a1", { status: "DRAINING" })];
    const history = [serviceCreated({ desiredCount: 1 })];
    const p = plan({ service: history, hosts: cluster });
    expect(p.start).toBeUndefined();
    expect(eventTypes(p)).toEqual(["ServiceTaskPlacementFailed"]);
    const failure = p.events[0];
    expect(failure?.type === "ServiceTaskPlacementFailed" && failure.data.message).toMatch(
      /^\(service web\) was unable to place a task/,
    );
    expect(plan({ service: after(history, p), hosts: cluster, now: NOW + 60 }).events).toEqual([]);
    expect(
      eventTypes(plan({ service: after(history, p), hosts: cluster, now: NOW + 300 })),
    ).toEqual(["ServiceTaskPlacementFailed"]);
  });

  describe("rolling update", () => {
    it("at 100/200 with 4 healthy old tasks: starts 4 new, stops none", () => {
      const p = plan({
        service: rolling(4),
        hosts: FOUR,
        tasks: onEach("old", D1, ["a1", "a2", "b1", "b2"]),
      });
      expect(p.start?.deploymentId).toBe(D2);
      expect(p.start?.instances).toHaveLength(4);
      expect(startedPerZone(p)).toEqual({ a: 2, b: 2 });
      expect(p.stop).toEqual([]);
    });

    it("at 100/200 with 4 old and 4 new healthy: stops the 4 old, starts none", () => {
      const all = ["a1", "a2", "b1", "b2"];
      const p = plan({
        service: rolling(4),
        hosts: FOUR,
        tasks: [...onEach("old", D1, all), ...onEach("new", D2, all)],
      });
      expect(p.start).toBeUndefined();
      expect(p.stop.map((s) => s.reason)).toEqual(["deployment"]);
      expect(stoppedIds(p, "deployment")).toEqual(["old-a1", "old-a2", "old-b1", "old-b2"]);
    });

    it("at 100/200, new tasks still PENDING: nothing old stops", () => {
      const all = ["a1", "a2", "b1", "b2"];
      const p = plan({
        service: rolling(4),
        hosts: FOUR,
        tasks: [...onEach("old", D1, all), ...all.map((h) => pending(`new-${h}`, D2, h))],
      });
      expect(p.stop).toEqual([]);
      expect(p.start).toBeUndefined();
    });

    it("at 50/100: stops 2 old first, one per zone, and starts none", () => {
      const p = plan({
        service: rolling(4, config(50, 100)),
        hosts: FOUR,
        tasks: onEach("old", D1, ["a1", "a2", "b1", "b2"]),
      });
      expect(p.start).toBeUndefined();
      const ids = stoppedIds(p, "deployment");
      expect(ids).toHaveLength(2);
      expect(ids.map((id) => id.slice(4, 5)).sort()).toEqual(["a", "b"]);
    });

    it("at 50/100, once 2 old are stopping: starts 2 new", () => {
      const old = onEach("old", D1, ["a1", "a2", "b1", "b2"]);
      const p = plan({
        service: rolling(4, config(50, 100)),
        hosts: FOUR,
        tasks: [stopped(old[0]!), old[1]!, stopped(old[2]!), old[3]!],
      });
      expect(p.start?.instances).toHaveLength(2);
      expect(p.stop).toEqual([]);
    });

    it("desired 2 at 75/200 (minHealthy 2): stops nothing before the new tasks are healthy", () => {
      const old = onEach("old", D1, ["a1", "b1"]);
      const first = plan({ service: rolling(2, config(75, 200)), hosts: FOUR, tasks: old });
      expect(first.stop).toEqual([]);
      expect(first.start?.instances).toHaveLength(2);
      const starting = plan({
        service: rolling(2, config(75, 200)),
        hosts: FOUR,
        tasks: [...old, pending("new-a2", D2, "a2"), pending("new-b2", D2, "b2")],
      });
      expect(starting.stop).toEqual([]);
      expect(starting.start).toBeUndefined();
      const ready = plan({
        service: rolling(2, config(75, 200)),
        hosts: FOUR,
        tasks: [...old, ...onEach("new", D2, ["a2", "b2"])],
      });
      expect(stoppedIds(ready, "deployment")).toEqual(["old-a1", "old-b1"]);
    });

    it("desired 3 at 75/125 is stuck: maxTotal 3 lets nothing start, minHealthy 3 nothing stop", () => {
      // CreateService refuses this configuration; this is what the planner would do with it.
      const p = plan({
        service: rolling(3, config(75, 125)),
        hosts: FOUR,
        tasks: onEach("old", D1, ["a1", "a2", "b1"]),
      });
      expect(p.start).toBeUndefined();
      expect(p.stop).toEqual([]);
    });

    it("old tasks that are not healthy may always stop", () => {
      const p = plan({
        service: rolling(2),
        hosts: FOUR,
        tasks: [svcTask("old-a1", D1, "a1"), pending("old-b1", D1, "b1")],
      });
      expect(stoppedIds(p, "deployment")).toEqual(["old-b1"]);
    });
  });

  it("scale-in picks the tasks that keep the zones balanced", () => {
    const tasks = [
      svcTask("t1", D1, "a1"),
      svcTask("t2", D1, "a1"),
      svcTask("t3", D1, "a2"),
      svcTask("t4", D1, "a2"),
      svcTask("t5", D1, "b1"),
      svcTask("t6", D1, "b2"),
    ];
    const p = plan({ service: settled(4), hosts: FOUR, tasks });
    const ids = stoppedIds(p, "scale-in");
    expect(ids).toHaveLength(2);
    const left = tasks.filter((t) => !ids.some((id) => t.taskArn.endsWith(`/${id}`)));
    const perHost = (h: string) =>
      left.filter((t) => t.containerInstanceArn.endsWith(`/${h}`)).length;
    expect([perHost("a1") + perHost("a2"), perHost("b1") + perHost("b2")]).toEqual([2, 2]);
    expect([perHost("a1"), perHost("a2")]).toEqual([1, 1]);
    expect(p.start).toBeUndefined();
  });

  it("scale-in stops tasks not yet healthy first", () => {
    const tasks = [...onEach("t", D1, ["a1", "b1"]), pending("p-a2", D1, "a2")];
    const p = plan({ service: settled(2), hosts: FOUR, tasks });
    expect(stoppedIds(p, "scale-in")).toEqual(["p-a2"]);
  });

  // Regression (fixed; was services/scheduler/serviceScheduler/plan/planReplica.ts:64): `pick` does not guard n ≤ 0
  // the way `choose` does; scaling *up* calls pick(current, current.length − desired) with a
  // negative n, and `notHealthy.slice(0, n)` with negative n returns all but the last |n|
  // not-healthy tasks. Desired 4 with 3 current tasks of which 2 are PENDING: pick(current, −1)
  // stops one PENDING task as "scale-in" (and starts 2), every step, while tasks are pending.
  it("scaling up never stops the current deployment's pending tasks", () => {
    const tasks = [svcTask("t-a1", D1, "a1"), pending("p-a2", D1, "a2"), pending("p-b1", D1, "b1")];
    const p = plan({ service: settled(4), hosts: FOUR, tasks });
    expect(p.stop).toEqual([]);
    expect(p.start?.instances).toHaveLength(1);
  });

  describe("fencing and health", () => {
    it("a task on a disconnected instance is fenced (instance-lost) and replaced", () => {
      const cluster = [host("a1"), host("a2"), host("b1", { agentConnected: false }), host("b2")];
      const p = plan({
        service: settled(4),
        hosts: cluster,
        tasks: onEach("t", D1, ["a1", "a2", "b1", "b2"]),
      });
      expect(p.stop).toEqual([
        { reason: "instance-lost", taskArns: [expect.stringMatching(/\/t-b1$/)] },
      ]);
      expect(p.start?.instances).toHaveLength(1);
      expect(startedHosts(p)).not.toContain("b1");
    });

    it("a task whose instance is gone from the cluster is fenced too", () => {
      const p = plan({
        service: settled(2),
        hosts: [host("a1"), host("b1", { status: "INACTIVE" })],
        tasks: onEach("t", D1, ["a1", "b1"]),
      });
      expect(stoppedIds(p, "instance-lost")).toEqual(["t-b1"]);
      expect(startedHosts(p)).toEqual(["a1"]);
    });

    it("an UNHEALTHY task past the grace period is stopped (unhealthy) and replaced", () => {
      const tasks = [
        ...onEach("t", D1, ["a1", "a2", "b1"]).map((t) => ({
          ...t,
          healthStatus: "HEALTHY" as const,
        })),
        svcTask("sick", D1, "b2", { healthStatus: "UNHEALTHY", startedAt: NOW - 100 }),
      ];
      const p = plan({
        service: settled(4, config(100, 200), { healthCheckGracePeriodSeconds: 60 }),
        hosts: FOUR,
        tasks,
        healthChecked: [D1],
      });
      expect(p.stop).toEqual([
        { reason: "unhealthy", taskArns: [expect.stringMatching(/\/sick$/)] },
      ]);
      expect(p.start?.instances).toHaveLength(1);
    });

    it("an UNHEALTHY task within the grace period is left alone", () => {
      const tasks = [
        ...onEach("t", D1, ["a1", "a2", "b1"]).map((t) => ({
          ...t,
          healthStatus: "HEALTHY" as const,
        })),
        svcTask("sick", D1, "b2", { healthStatus: "UNHEALTHY", startedAt: NOW - 30 }),
      ];
      const p = plan({
        service: settled(4, config(100, 200), { healthCheckGracePeriodSeconds: 60 }),
        hosts: FOUR,
        tasks,
        healthChecked: [D1],
      });
      expect(p.stop).toEqual([]);
      expect(p.start).toBeUndefined();
    });
  });

  describe("circuit breaker", () => {
    const breaker = (rollback: boolean) => config(100, 200, { enable: true, rollback });
    const failures = (n: number) =>
      Array.from({ length: n }, (_, i) => failedToStart(`f${i}`, D2, i % 2 ? "b2" : "a2", 100 - i));
    const old = onEach("old", D1, ["a1", "a2", "b1", "b2"]);

    it("below the threshold (desired 4 → 3) the deployment goes on", () => {
      const p = plan({
        service: rolling(4, breaker(true)),
        hosts: FOUR,
        tasks: [...old, ...failures(2)],
      });
      expect(eventTypes(p)).not.toContain("ServiceDeploymentFailed");
      expect(p.start?.deploymentId).toBe(D2);
    });

    it("at the threshold trips and rolls back to the last COMPLETED deployment", () => {
      const history = rolling(4, breaker(true));
      const p = plan({ service: history, hosts: FOUR, tasks: [...old, ...failures(3)] });
      expect(p.start).toBeUndefined();
      expect(p.stop).toEqual([]);
      expect(p.events).toEqual([
        {
          type: "ServiceDeploymentFailed",
          data: {
            ...IDS,
            deploymentId: D2,
            reason: "tasks failed to start",
            failedTasks: 3,
            rollback: { deploymentId: D1, taskDefinitionArn: arnOfRevision("web", 1) },
            at: NOW,
          },
        },
      ]);
      // Next step: D1 is PRIMARY again with its 4 healthy tasks, so it completes at once.
      const next = plan({
        service: after(history, p),
        hosts: FOUR,
        tasks: [...old, ...failures(3)],
      });
      expect(next.start).toBeUndefined();
      expect(eventTypes(next)).toEqual([
        "ServiceDeploymentsRetired",
        "ServiceDeploymentCompleted",
        "ServiceSteadyStateReached",
      ]);
      expect(next.events[1]?.data).toMatchObject({ deploymentId: D1 });
    });

    it("without rollback, the FAILED primary starts nothing and stops no old task", () => {
      const history = rolling(4, breaker(false));
      const tasks = [...old, ...failures(3)];
      const p = plan({ service: history, hosts: FOUR, tasks });
      expect(p.events).toHaveLength(1);
      expect(p.events[0]?.data).not.toHaveProperty("rollback");
      const next = plan({ service: after(history, p), hosts: FOUR, tasks });
      expect(next).toEqual({ stop: [], events: [] });
    });

    it("a healthy task of the deployment resets the count", () => {
      const healthy = svcTask("new-a1", D2, "a1", { startedAt: NOW - 50, createdAt: NOW - 60 });
      const p = plan({
        service: rolling(4, breaker(true)),
        hosts: FOUR,
        tasks: [...old, ...failures(3), healthy],
      });
      expect(eventTypes(p)).not.toContain("ServiceDeploymentFailed");
    });
  });

  describe("throttle", () => {
    const history = [serviceCreated({ desiredCount: 2 })];
    // Stopped 30, 20 and 5 seconds ago: 3 in a row → 10 s after the last, until NOW + 5.
    const failed = [
      failedToStart("f1", D1, "a1", 30),
      failedToStart("f2", D1, "b1", 20),
      failedToStart("f3", D1, "a1", 5),
    ];

    it("3 tasks that stopped before RUNNING block launches and record the throttle once", () => {
      const p = plan({ service: history, hosts: FOUR, tasks: failed });
      expect(p.start).toBeUndefined();
      expect(p.events).toEqual([
        {
          type: "ServiceTaskLaunchThrottled",
          data: { ...IDS, consecutiveFailures: 3, delaySeconds: 10, until: NOW + 5, at: NOW },
        },
      ]);
      const again = plan({ service: after(history, p), hosts: FOUR, tasks: failed, now: NOW + 4 });
      expect(again).toEqual({ stop: [], events: [] });
      const later = plan({ service: after(history, p), hosts: FOUR, tasks: failed, now: NOW + 5 });
      expect(later.start?.instances).toHaveLength(2);
      expect(later.events).toEqual([]);
    });

    it("a longer streak is recorded again, with a doubled delay", () => {
      const first = plan({ service: history, hosts: FOUR, tasks: failed });
      const four = [...failed, failedToStart("f4", D1, "b1", 1)];
      const p = plan({ service: after(history, first), hosts: FOUR, tasks: four });
      expect(p.start).toBeUndefined();
      expect(p.events).toEqual([
        {
          type: "ServiceTaskLaunchThrottled",
          data: { ...IDS, consecutiveFailures: 4, delaySeconds: 20, until: NOW + 19, at: NOW },
        },
      ]);
    });

    it("a new deployment starts a fresh streak", () => {
      const p = plan({
        service: [...history, serviceRedeployed(D2, 2)],
        hosts: FOUR,
        tasks: failed,
      });
      expect(p.start?.deploymentId).toBe(D2);
      expect(p.start?.instances).toHaveLength(2);
    });
  });

  describe("rollout bookkeeping", () => {
    it("an old deployment with no task left retires, the primary completes, steady is recorded", () => {
      const history = rolling(4);
      const tasks = onEach("new", D2, ["a1", "a2", "b1", "b2"]);
      const p = plan({ service: history, hosts: FOUR, tasks });
      expect(p.events).toEqual([
        { type: "ServiceDeploymentsRetired", data: { ...IDS, deploymentIds: [D1], at: NOW } },
        { type: "ServiceDeploymentCompleted", data: { ...IDS, deploymentId: D2, at: NOW } },
        { type: "ServiceSteadyStateReached", data: { ...IDS, at: NOW } },
      ]);
      expect(p.stop).toEqual([]);
      // Recorded once: with `steady` true and D2 COMPLETED, the next step records nothing.
      const state = serviceState(after(history, p));
      expect(state.steady).toBe(true);
      expect(plan({ service: state, hosts: FOUR, tasks })).toEqual({ stop: [], events: [] });
    });

    it("nothing is complete while tasks are still pending", () => {
      const tasks = [...onEach("new", D2, ["a1", "a2", "b1"]), pending("new-b2", D2, "b2")];
      const p = plan({ service: rolling(4), hosts: FOUR, tasks });
      expect(eventTypes(p)).toEqual(["ServiceDeploymentsRetired"]);
    });

    it("a steady service with nothing to do records nothing", () => {
      const tasks = onEach("t", D1, ["a1", "a2", "b1", "b2"]);
      expect(plan({ service: settled(4), hosts: FOUR, tasks })).toEqual({ stop: [], events: [] });
    });

    it("a steady service that changed (steady false) records the steady state again", () => {
      const tasks = onEach("t", D1, ["a1", "a2", "b1", "b2"]);
      const history = [serviceCreated({ desiredCount: 4 }), serviceDeploymentCompleted(D1)];
      expect(eventTypes(plan({ service: history, hosts: FOUR, tasks }))).toEqual([
        "ServiceSteadyStateReached",
      ]);
    });
  });

  describe("a DRAINING (deleted) service", () => {
    const history = [...settled(4), serviceDeleted(true)];
    const tasks = onEach("t", D1, ["a1", "a2", "b1", "b2"]);

    it("stops every task (service-deleted) and starts none", () => {
      const p = plan({ service: history, hosts: FOUR, tasks });
      expect(stoppedIds(p, "service-deleted")).toEqual(["t-a1", "t-a2", "t-b1", "t-b2"]);
      expect(p.stop).toHaveLength(1);
      expect(p.start).toBeUndefined();
    });

    // Regression (fixed; was services/scheduler/serviceScheduler/plan/planService.ts:97-103 with rollout.ts:42-44):
    // `remaining` drops the tasks this very step orders to stop, so ServiceInactivated (documented
    // as "A deleted service's last task stopped: INACTIVE, its name free again") is recorded in
    // the same step as the stop orders, while all four tasks still run. The name is free for a
    // new CreateService before the old tasks are gone, and the same tasks, once their desired
    // status is STOPPED, do block inactivation (see the next test): the outcome depends on
    // whether the stop was ordered this step or an earlier one.
    it("is not INACTIVE while the tasks it just ordered to stop still run", () => {
      const p = plan({ service: history, hosts: FOUR, tasks });
      expect(eventTypes(p)).not.toContain("ServiceInactivated");
    });

    it("tasks asked to stop but still running keep it DRAINING", () => {
      const p = plan({ service: history, hosts: FOUR, tasks: tasks.map(stopping) });
      expect(p).toEqual({ stop: [], events: [] });
    });

    it("goes INACTIVE once every task is STOPPED, and then plans nothing", () => {
      const p = plan({ service: history, hosts: FOUR, tasks: tasks.map(stopped) });
      expect(p).toEqual({
        stop: [],
        events: [{ type: "ServiceInactivated", data: { ...IDS, at: NOW } }],
      });
      expect(plan({ service: after(history, p), hosts: FOUR, tasks })).toEqual({
        stop: [],
        events: [],
      });
    });
  });

  describe("a DRAINING instance", () => {
    const cluster = [host("a1"), host("a2", { status: "DRAINING" }), host("b1"), host("b2")];
    const tasks = [svcTask("t-a1", D1, "a1"), svcTask("t-a2", D1, "a2"), svcTask("t-b1", D1, "b1")];

    it("the replacement starts elsewhere first; the draining task keeps running", () => {
      const p = plan({ service: settled(3), hosts: cluster, tasks });
      expect(p.stop).toEqual([]);
      expect(startedHosts(p)).toEqual(["b2"]);
      expect(p.start?.deploymentId).toBe(D1);
    });

    it("while the replacement is pending nothing stops", () => {
      const p = plan({
        service: settled(3),
        hosts: cluster,
        tasks: [...tasks, pending("r-b2", D1, "b2")],
      });
      expect(p).toEqual({ stop: [], events: [] });
    });

    it("once the replacement is healthy the draining task stops (draining)", () => {
      const p = plan({
        service: settled(3),
        hosts: cluster,
        tasks: [...tasks, svcTask("r-b2", D1, "b2")],
      });
      expect(p.stop).toEqual([
        { reason: "draining", taskArns: [expect.stringMatching(/\/t-a2$/)] },
      ]);
      expect(p.start).toBeUndefined();
    });

    it("at 50/200 the draining task may stop at once, within minimumHealthyPercent", () => {
      const p = plan({ service: settled(3, config(50, 200)), hosts: cluster, tasks });
      expect(stoppedIds(p, "draining")).toEqual(["t-a2"]);
      expect(startedHosts(p)).toEqual(["b2"]);
    });
  });
});

describe("planService: DAEMON", () => {
  const DAEMON = config(0, 100);
  const daemon = [
    serviceCreated({
      schedulingStrategy: "DAEMON",
      desiredCount: 0,
      deploymentConfiguration: DAEMON,
    }),
  ];
  const cluster = [host("a1"), host("a2"), host("b1"), host("b2", { agentConnected: false })];

  it("one task per eligible ACTIVE connected instance; desiredCount follows (ServiceUpdated)", () => {
    const p = plan({ service: daemon, hosts: cluster });
    expect(startedHosts(p)).toEqual(["a1", "a2", "b1"]);
    expect(p.events).toEqual([
      { type: "ServiceUpdated", data: { ...IDS, desiredCount: 3, updatedAt: NOW } },
    ]);
    expect(serviceState(after(daemon, p)).desiredCount).toBe(3);
  });

  it("a new instance gets one task; the others keep theirs", () => {
    const history = [...daemon, ...plan({ service: daemon, hosts: cluster }).events];
    const tasks = onEach("d", D1, ["a1", "a2", "b1"]);
    const p = plan({ service: history, hosts: [...cluster, host("b3")], tasks });
    expect(startedHosts(p)).toEqual(["b3"]);
    expect(p.stop).toEqual([]);
    expect(p.events).toEqual([
      { type: "ServiceUpdated", data: { ...IDS, desiredCount: 4, updatedAt: NOW } },
    ]);
  });

  it("the daemon task of a DRAINING instance stops (draining) and desiredCount drops", () => {
    const history = [...daemon, ...plan({ service: daemon, hosts: cluster }).events];
    const tasks = onEach("d", D1, ["a1", "a2", "b1"]);
    const draining = [
      host("a1"),
      host("a2", { status: "DRAINING" }),
      host("b1"),
      host("b2", { agentConnected: false }),
    ];
    const p = plan({ service: history, hosts: draining, tasks });
    expect(p.stop).toEqual([{ reason: "draining", taskArns: [expect.stringMatching(/\/d-a2$/)] }]);
    expect(p.start).toBeUndefined();
    expect(p.events).toEqual([
      { type: "ServiceUpdated", data: { ...IDS, desiredCount: 2, updatedAt: NOW } },
    ]);
  });

  it("never two tasks on one instance: the extra one stops, no start where one runs", () => {
    const history = [...daemon, ...plan({ service: daemon, hosts: cluster }).events];
    const tasks = [
      svcTask("d-a1", D1, "a1", { createdAt: NOW - 700 }),
      svcTask("d-a1-bis", D1, "a1", { createdAt: NOW - 100 }),
      svcTask("d-b1", D1, "b1"),
    ];
    const p = plan({ service: history, hosts: cluster, tasks });
    expect(p.stop).toEqual([
      { reason: "scale-in", taskArns: [expect.stringMatching(/\/d-a1-bis$/)] },
    ]);
    expect(startedHosts(p)).toEqual(["a2"]);
  });

  it("a new deployment stops the old tasks (min 0) and starts none where one still runs", () => {
    const created = [...daemon, ...plan({ service: daemon, hosts: cluster }).events];
    const history = [...created, serviceDeploymentCompleted(D1), serviceRedeployed(D2, 2)];
    const old = onEach("d", D1, ["a1", "a2", "b1"]);
    const p = plan({ service: history, hosts: cluster, tasks: old });
    expect(stoppedIds(p, "deployment")).toEqual(["d-a1", "d-a2", "d-b1"]);
    expect(p.start).toBeUndefined();
    const next = plan({ service: history, hosts: cluster, tasks: old.map(stopped) });
    expect(next.start?.deploymentId).toBe(D2);
    expect(startedHosts(next)).toEqual(["a1", "a2", "b1"]);
  });

  it("a settled daemon completes and is steady", () => {
    const created = [...daemon, ...plan({ service: daemon, hosts: cluster }).events];
    const p = plan({
      service: created,
      hosts: cluster,
      tasks: onEach("d", D1, ["a1", "a2", "b1"]),
    });
    expect(eventTypes(p)).toEqual(["ServiceDeploymentCompleted", "ServiceSteadyStateReached"]);
  });
});
