import { describe, expect, it } from "vitest";
import { planService } from "../../../services/scheduler/serviceScheduler/plan/planService.js";
import type {
  PlanInput,
  ServiceTask,
  TaskTarget,
} from "../../../services/scheduler/serviceScheduler/plan/types.js";
import {
  NOW,
  eventTypes,
  hosts,
  instanceArn,
  planInput,
  stoppedIds,
  svcTask,
  taskId,
  type World,
} from "./planFixtures.js";
import {
  DEPLOYMENT_1,
  DEPLOYMENT_2,
  serviceCreated,
  serviceDeploymentCompleted,
  serviceRedeployed,
  serviceTasksDraining,
} from "./schedulerFixtures.js";

const TG = "arn:aws:elasticloadbalancing:us-east-1:000000000000:targetgroup/web/0123456789abcdef";
const withLb = serviceCreated({
  desiredCount: 2,
  loadBalancers: [{ targetGroupArn: TG, containerName: "web", containerPort: 8080 }],
});

/** A RUNNING task binding host port `hostPort`, with its target in `state` (or none). */
const lbTask = (
  id: string,
  deploymentId: string,
  hostId: string,
  hostPort: number,
  state?: TaskTarget["state"],
): ServiceTask =>
  svcTask(id, deploymentId, hostId, {
    bindings: [{ containerName: "web", containerPort: 8080, hostPort }],
    targets:
      state === undefined ? [] : [{ targetGroupArn: TG, id: `i-${hostId}`, port: hostPort, state }],
  });

/** The fixture's input with instance ids and the target group's deregistration delay. */
const input = (w: World, deregistrationDelaySeconds = 30): PlanInput => {
  const base = planInput(w);
  return {
    ...base,
    instances: new Map(
      [...base.instances].map(([arn, v]) => [
        arn,
        { ...v, ec2InstanceId: `i-${arn.slice(arn.lastIndexOf("/") + 1)}` },
      ]),
    ),
    targetGroups: new Map([[TG, { deregistrationDelaySeconds }]]),
  };
};

describe("planService with a load balancer", () => {
  it("registers each RUNNING task's host binding as a target of its instance", () => {
    const plan = planService(
      input({
        service: [withLb, serviceDeploymentCompleted()],
        hosts: hosts("a1", "b1"),
        tasks: [lbTask("t1", DEPLOYMENT_1, "a1", 32768), lbTask("t2", DEPLOYMENT_1, "b1", 32769)],
      }),
    );
    expect(plan.register).toEqual([
      {
        targetGroupArn: TG,
        targets: [
          { id: "i-a1", port: 32768 },
          { id: "i-b1", port: 32769 },
        ],
        taskArns: [expect.stringContaining("t1"), expect.stringContaining("t2")],
      },
    ]);
    // Not healthy until the target group says so: nothing completes yet.
    expect(eventTypes(plan)).not.toContain("ServiceSteadyStateReached");
  });

  it("a task counts as healthy only when its target is healthy", () => {
    const tasks = [
      lbTask("t1", DEPLOYMENT_1, "a1", 32768, "healthy"),
      lbTask("t2", DEPLOYMENT_1, "b1", 32769, "initial"),
    ];
    const notYet = planService(input({ service: [withLb], hosts: hosts("a1", "b1"), tasks }));
    expect(eventTypes(notYet)).not.toContain("ServiceDeploymentCompleted");
    const healthy = tasks.map((t) => ({
      ...t,
      targets: t.targets!.map((x) => ({ ...x, state: "healthy" as const })),
    }));
    const done = planService(
      input({ service: [withLb], hosts: hosts("a1", "b1"), tasks: healthy }),
    );
    expect(eventTypes(done)).toEqual(["ServiceDeploymentCompleted", "ServiceSteadyStateReached"]);
  });

  it("a rolling update drains the old tasks' targets before it stops them", () => {
    const service = [withLb, serviceDeploymentCompleted(), serviceRedeployed(DEPLOYMENT_2, 2)];
    const tasks = [
      lbTask("old1", DEPLOYMENT_1, "a1", 32768, "healthy"),
      lbTask("old2", DEPLOYMENT_1, "b1", 32769, "healthy"),
      lbTask("new1", DEPLOYMENT_2, "a1", 32770, "healthy"),
      lbTask("new2", DEPLOYMENT_2, "b1", 32771, "healthy"),
    ];
    const plan = planService(input({ service, hosts: hosts("a1", "b1"), tasks }));
    expect(plan.stop).toEqual([]);
    expect(plan.drain).toEqual([
      {
        reason: "deployment",
        taskArns: [expect.stringContaining("old1"), expect.stringContaining("old2")],
      },
    ]);
  });

  it("a draining task stops once its targets have drained, for the reason it began draining", () => {
    const service = [
      withLb,
      serviceDeploymentCompleted(),
      serviceRedeployed(DEPLOYMENT_2, 2),
      serviceTasksDraining("deployment", ["old1"]),
    ];
    const newer = [
      lbTask("new1", DEPLOYMENT_2, "a1", 32770, "healthy"),
      lbTask("new2", DEPLOYMENT_2, "b1", 32771, "healthy"),
    ];
    const stillDraining = planService(
      input(
        {
          service,
          hosts: hosts("a1", "b1"),
          tasks: [lbTask("old1", DEPLOYMENT_1, "a1", 32768, "draining"), ...newer],
        },
        600,
      ),
    );
    expect(stoppedIds(stillDraining)).toEqual([]);
    const drained = planService(
      input(
        {
          service,
          hosts: hosts("a1", "b1"),
          tasks: [lbTask("old1", DEPLOYMENT_1, "a1", 32768), ...newer],
        },
        600,
      ),
    );
    expect(stoppedIds(drained, "deployment")).toEqual(["old1"]);
  });

  it("a task whose targets never drain stops after the deregistration delay", () => {
    const service = [withLb, serviceTasksDraining("deployment", ["old1"])];
    const tasks = [lbTask("old1", DEPLOYMENT_1, "a1", 32768, "draining")];
    // serviceTasksDraining is recorded at NOW - 320.
    expect(stoppedIds(planService(input({ service, hosts: hosts("a1"), tasks }, 600)))).toEqual([]);
    expect(stoppedIds(planService(input({ service, hosts: hosts("a1"), tasks }, 300)))).toEqual([
      "old1",
    ]);
  });

  it("a target failing its health checks after the grace period gets its task drained and replaced", () => {
    const service = [
      serviceCreated({
        desiredCount: 1,
        healthCheckGracePeriodSeconds: 60,
        loadBalancers: [{ targetGroupArn: TG, containerName: "web", containerPort: 8080 }],
      }),
    ];
    const sick = lbTask("t1", DEPLOYMENT_1, "a1", 32768, "unhealthy");
    const inGrace = planService(
      input({ service, hosts: hosts("a1", "b1"), tasks: [{ ...sick, startedAt: NOW - 30 }] }),
    );
    expect(inGrace.drain ?? []).toEqual([]);
    const after = planService(input({ service, hosts: hosts("a1", "b1"), tasks: [sick] }));
    expect(after.drain?.map((d) => [d.reason, d.taskArns.map(taskId)])).toEqual([
      ["unhealthy", ["t1"]],
    ]);
  });

  it("targets of a task that stopped on its own are deregistered; a lost instance's task stops at once", () => {
    const crashed: ServiceTask = {
      ...lbTask("t1", DEPLOYMENT_1, "a1", 32768, "healthy"),
      lastStatus: "STOPPED",
      desiredStatus: "STOPPED",
      stoppedAt: NOW - 5,
      stopCode: "EssentialContainerExited",
    };
    const lost = lbTask("t2", DEPLOYMENT_1, "b1", 32769, "healthy");
    const plan = planService(
      input({
        service: [withLb],
        hosts: [hosts("a1")[0]!, { ...hosts("b1")[0]!, agentConnected: false }],
        tasks: [crashed, lost],
      }),
    );
    expect(stoppedIds(plan, "instance-lost")).toEqual(["t2"]);
    expect(plan.deregister).toEqual([
      {
        targetGroupArn: TG,
        targets: [
          { id: "i-a1", port: 32768 },
          { id: "i-b1", port: 32769 },
        ],
      },
    ]);
    expect(plan.start?.instances).toEqual([instanceArn("a1"), instanceArn("a1")]);
  });
});
