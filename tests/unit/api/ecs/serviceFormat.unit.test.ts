import { describe, expect, it } from "vitest";
import {
  type ServiceRow,
  formatService,
} from "../../../../services/api/ecs/read/serviceQueries.js";
import {
  requireEcsDeploymentController,
  withoutIgnoredServiceOptions,
} from "../../../../services/api/ecs/serviceOptions.js";
import { serviceNameIn } from "../../../../services/api/ecs/serviceRefs.js";

const ARN = { region: "eu-west-1", accountId: "123456789012" };
const SERVICE = "arn:aws:ecs:eu-west-1:123456789012:service/demo/web";
const TD = "arn:aws:ecs:eu-west-1:123456789012:task-definition/web:1";

const row = (over: Partial<ServiceRow> = {}): ServiceRow => ({
  service_arn: SERVICE,
  cluster_name: "demo",
  service_name: "web",
  status: "ACTIVE",
  desired_count: 2,
  task_definition_arn: TD,
  launch_type: "EC2",
  capacity_provider_strategy: [],
  scheduling_strategy: "REPLICA",
  deployment_configuration: {
    minimumHealthyPercent: 100,
    maximumPercent: 200,
    deploymentCircuitBreaker: { enable: false, rollback: false },
  },
  placement_constraints: [],
  placement_strategy: [],
  health_check_grace_period_seconds: null,
  load_balancers: [],
  deployments: [
    {
      id: "ecs-svc/1",
      status: "PRIMARY",
      taskDefinition: TD,
      desiredCount: 2,
      rolloutState: "COMPLETED",
      rolloutStateReason: "ECS deployment ecs-svc/1 completed.",
      failedTasks: 0,
      createdAt: 1_772_323_200.25,
      updatedAt: 1_772_323_260,
      launchType: "EC2",
    },
  ],
  propagate_tags: null,
  enable_ecs_managed_tags: false,
  created_at: new Date("2026-03-01T00:00:00.250Z"),
  created_by: "arn:aws:iam::123456789012:user/test",
  version: 4,
  last_position: 40,
  ...over,
});

/** The AWS CLI's `services-stable` success test, in TypeScript. */
const stable = (services: Record<string, unknown>[]) =>
  services.filter(
    (s) => !((s.deployments as unknown[]).length === 1 && s.runningCount === s.desiredCount),
  ).length === 0;

describe("formatService", () => {
  it("is ECS's Service: live counts per deployment, events newest first, no roleArn", () => {
    const service = formatService(
      ARN,
      row(),
      {
        service: { running: 2, pending: 1 },
        byDeployment: new Map([["ecs-svc/1", { running: 2, pending: 1 }]]),
      },
      [
        {
          id: "e1",
          createdAt: new Date("2026-03-01T00:01:00.500Z"),
          message: "(service web) has reached a steady state.",
        },
      ],
      [{ key: "team", value: "web" }],
    );
    expect(service).toMatchObject({
      serviceArn: SERVICE,
      serviceName: "web",
      clusterArn: "arn:aws:ecs:eu-west-1:123456789012:cluster/demo",
      status: "ACTIVE",
      desiredCount: 2,
      runningCount: 2,
      pendingCount: 1,
      launchType: "EC2",
      taskDefinition: TD,
      schedulingStrategy: "REPLICA",
      deploymentController: { type: "ECS" },
      propagateTags: "NONE",
      createdAt: 1_772_323_200.25,
      events: [
        {
          id: "e1",
          createdAt: 1_772_323_260.5,
          message: "(service web) has reached a steady state.",
        },
      ],
      tags: [{ key: "team", value: "web" }],
    });
    expect(service.deployments).toEqual([
      expect.objectContaining({
        id: "ecs-svc/1",
        runningCount: 2,
        pendingCount: 1,
        desiredCount: 2,
      }),
    ]);
    expect(service).not.toHaveProperty("roleArn");
    expect(service).not.toHaveProperty("healthCheckGracePeriodSeconds");
  });

  it("supports the services-stable waiter: one deployment and running == desired", () => {
    const counts = (running: number) => ({
      service: { running, pending: 0 },
      byDeployment: new Map([["ecs-svc/1", { running, pending: 0 }]]),
    });
    expect(stable([formatService(ARN, row(), counts(2), [])])).toBe(true);
    expect(stable([formatService(ARN, row(), counts(1), [])])).toBe(false);
    const two = row();
    two.deployments.push({ ...two.deployments[0]!, id: "ecs-svc/0", status: "ACTIVE" });
    expect(stable([formatService(ARN, two, counts(2), [])])).toBe(false);
  });
});

describe("service references", () => {
  it("a name, or an ARN of the cluster in the long or the old format", () => {
    expect(serviceNameIn("web", "demo")).toBe("web");
    expect(serviceNameIn(SERVICE, "demo")).toBe("web");
    expect(serviceNameIn("arn:aws:ecs:eu-west-1:123456789012:service/web", "demo")).toBe("web");
    expect(serviceNameIn(SERVICE, "other")).toBeUndefined();
    expect(
      serviceNameIn("arn:aws:ecs:eu-west-1:123456789012:task/demo/abc", "demo"),
    ).toBeUndefined();
    expect(serviceNameIn("not a name", "demo")).toBeUndefined();
  });
});

describe("service options", () => {
  it("accepts the ECS deployment controller and refuses the others, naming the field", () => {
    expect(() => requireEcsDeploymentController(undefined)).not.toThrow();
    expect(() => requireEcsDeploymentController({ type: "ECS" })).not.toThrow();
    expect(() => requireEcsDeploymentController({ type: "CODE_DEPLOY" })).toThrow(
      expect.objectContaining({
        type: "InvalidParameterException",
        message: expect.stringContaining("deploymentController.type") as unknown,
      }),
    );
  });

  it("drops what the scheduler does not model before the command is sent", () => {
    expect(
      withoutIgnoredServiceOptions({
        serviceName: "web",
        networkConfiguration: { awsvpcConfiguration: {} },
        platformVersion: "LATEST",
        enableExecuteCommand: true,
      }),
    ).toEqual({ serviceName: "web" });
  });
});
