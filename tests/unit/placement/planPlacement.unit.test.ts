import { describe, expect, it } from "vitest";
import {
  describePlan,
  planFailureMessage,
} from "../../../services/scheduler/placementPlans/describePlan.js";
import {
  RUN_TASK_DEFAULT_STRATEGIES,
  runTaskFailure,
  runTaskFailureReason,
} from "../../../services/scheduler/tasks/launchTasks.js";
import { place, type MissingCode } from "../../../services/scheduler/placement/index.js";
import { PlanPlacement } from "../../../shared/commands/scheduler/index.js";
import { arnOf, cap, instance, request, tally } from "./fixtures.js";

const CLUSTER = "arn:aws:ecs:us-east-1:000000000000:cluster/default";

describe("RunTask failures from the engine's codes", () => {
  it.each<[MissingCode, string]>([
    ["RESOURCE:CPU", "RESOURCE:CPU"],
    ["RESOURCE:MEMORY", "RESOURCE:MEMORY"],
    ["RESOURCE:PORTS", "RESOURCE:PORTS"],
    ["AGENT", "AGENT"],
    ["INSTANCE_STATUS", "INACTIVE"],
    ["CONSTRAINT:distinctInstance", "DistinctInstance placement constraint unsatisfied."],
    ["CONSTRAINT:memberOf", "MemberOf placement constraint unsatisfied."],
  ])("%s is reported as %s", (code, reason) => {
    expect(runTaskFailureReason(code)).toBe(reason);
  });

  it("names the closest instance and what it lacks", () => {
    const decision = place([instance("a", { remaining: cap(1024, 100) })], request());
    expect(runTaskFailure(CLUSTER, decision.failures[0]!)).toEqual({
      arn: arnOf("a"),
      reason: "RESOURCE:MEMORY",
      detail: `The closest matching container-instance ${arnOf("a")} has insufficient memory available.`,
    });
  });

  it("an empty cluster is ECS's 'No Container Instances' on the cluster ARN", () => {
    const decision = place([], request());
    expect(runTaskFailure(CLUSTER, decision.failures[0]!)).toEqual({
      arn: CLUSTER,
      reason: "No Container Instances were found in your cluster.",
    });
  });

  it("the default strategy spreads a group over instances, whatever the seed", () => {
    const cluster = ["a", "b", "c"].map((id) => instance(id));
    for (const seed of ["s1", "s2", "s3"]) {
      const d = place(
        cluster,
        request({ count: 6, strategies: RUN_TASK_DEFAULT_STRATEGIES, seed }),
      );
      expect([...tally(d.placements).values()]).toEqual([2, 2, 2]);
    }
  });
});

describe("the placement dry run's answer", () => {
  it("gives each placement's instance, EC2 id and zone, and each failure's reason and sentence", () => {
    const cluster = [
      instance("a", { az: "us-east-1a", registered: cap(1024, 512) }),
      instance("b", { az: "us-east-1b", registered: cap(1024, 256) }),
    ];
    const plan = describePlan(cluster, request({ count: 4 }), {
      kind: "service",
      serviceName: "web",
    });
    expect(plan.placements).toHaveLength(3);
    expect(plan.placements).toContainEqual({
      containerInstanceArn: arnOf("b"),
      ec2InstanceId: "i-b",
      availabilityZone: "us-east-1b",
    });
    expect(plan.failures).toEqual([
      {
        reason: "no container instance met all of its requirements.",
        closestContainerInstanceArn: arnOf("a"),
        missing: "has insufficient memory available",
        code: "RESOURCE:MEMORY",
        message:
          "(service web) was unable to place a task because no container instance met all of " +
          "its requirements. The closest matching (container-instance a) has insufficient " +
          "memory available. For more information, see the Troubleshooting section of the " +
          "Amazon ECS Developer Guide.",
      },
    ]);
  });

  it("a task definition's failure names the task definition instead of a service", () => {
    const plan = describePlan([], request(), { kind: "taskDefinition", name: "web:3" });
    expect(plan).toEqual({
      placements: [],
      failures: [
        {
          reason: "No Container Instances were found in your cluster.",
          message:
            "(task-definition web:3) was unable to place a task because no container instance " +
            "met all of its requirements. Reason: No Container Instances were found in your cluster.",
        },
      ],
    });
    expect(
      planFailureMessage(
        { kind: "taskDefinition", name: "web:3" },
        {
          reason: "x",
          closest: { arn: arnOf("z"), missing: "is not ACTIVE", code: "INSTANCE_STATUS" },
        },
      ),
    ).toMatch(/^\(task-definition web:3\) .* \(container-instance z\) is not ACTIVE\./);
  });
});

describe("the PlanPlacement request", () => {
  const parse = (p: unknown) => PlanPlacement.payload.safeParse(p);

  it("takes a service or a task definition, and a count up to 1000", () => {
    expect(parse({ service: "web", count: 1000 }).success).toBe(true);
    expect(
      parse({
        taskDefinition: "web:1",
        group: "g",
        placementConstraints: [{ type: "distinctInstance" }],
        placementStrategy: [{ type: "binpack", field: "memory" }],
      }).success,
    ).toBe(true);
    expect(parse({ service: "web", count: 1001 }).success).toBe(false);
    expect(parse({ service: "web", count: 0 }).success).toBe(false);
  });

  it("refuses both or neither of service and taskDefinition, and a service with its own placement", () => {
    expect(parse({}).error?.issues[0]?.path).toEqual(["service"]);
    expect(parse({ service: "web", taskDefinition: "web" }).success).toBe(false);
    const input = { family: "web", containerDefinitions: [{ name: "c", image: "i", memory: 8 }] };
    expect(parse({ taskDefinitionInput: input, group: "g" }).success).toBe(true);
    expect(parse({ taskDefinition: "web", taskDefinitionInput: input }).success).toBe(false);
    expect(parse({ taskDefinitionInput: { family: "web" } }).success).toBe(false);
    expect(parse({ service: "web", group: "g" }).error?.issues[0]?.path).toEqual(["group"]);
    expect(
      parse({ service: "web", placementStrategy: [{ type: "random" }] }).error?.issues[0]?.path,
    ).toEqual(["placementStrategy"]);
  });
});
