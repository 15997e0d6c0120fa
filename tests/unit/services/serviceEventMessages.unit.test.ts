import { describe, expect, it } from "vitest";
import {
  type ServiceEvent,
  serviceEventMessages,
  serviceNameOfArn,
} from "../../../shared/domain/services/serviceEventMessages.js";

const SERVICE = "arn:aws:ecs:eu-west-1:123456789012:service/demo/web";
const task = (id: string) => `arn:aws:ecs:eu-west-1:123456789012:task/demo/${id}`;
const base = { clusterName: "demo", serviceArn: SERVICE, at: 1_772_323_200 };

describe("serviceEventMessages", () => {
  it("names the service by the last segment of its ARN", () => {
    expect(serviceNameOfArn(SERVICE)).toBe("web");
  });

  it("started tasks: the count and each task id, as ECS words it", () => {
    const event: ServiceEvent = {
      type: "ServiceTasksStarted",
      data: { ...base, deploymentId: "ecs-svc/123", taskArns: [task("1a2b"), task("3c4d")] },
    };
    expect(serviceEventMessages(event)).toEqual([
      "(service web) has started 2 tasks: (task 1a2b) (task 3c4d).",
    ]);
  });

  it("stopped tasks: 'running tasks', even for one", () => {
    const event: ServiceEvent = {
      type: "ServiceTasksStopped",
      data: { ...base, reason: "scale-in", taskArns: [task("1a2b")] },
    };
    expect(serviceEventMessages(event)).toEqual([
      "(service web) has stopped 1 running tasks: (task 1a2b).",
    ]);
  });

  it("unhealthy tasks: a health check message per task before the stop message", () => {
    const event: ServiceEvent = {
      type: "ServiceTasksStopped",
      data: { ...base, reason: "unhealthy", taskArns: [task("aa"), task("bb")] },
    };
    expect(serviceEventMessages(event)).toEqual([
      "(service web) (task aa) failed container health checks.",
      "(service web) (task bb) failed container health checks.",
      "(service web) has stopped 2 running tasks: (task aa) (task bb).",
    ]);
  });

  it("spot interruption: the Fargate Spot warning per task before the stop message", () => {
    const event: ServiceEvent = {
      type: "ServiceTasksStopped",
      data: { ...base, reason: "spot-interruption", taskArns: [task("aa"), task("bb")] },
    };
    expect(serviceEventMessages(event)).toEqual([
      "(service web) (task aa) will be stopped: Fargate Spot capacity is being reclaimed.",
      "(service web) (task bb) will be stopped: Fargate Spot capacity is being reclaimed.",
      "(service web) has stopped 2 running tasks: (task aa) (task bb).",
    ]);
  });

  it("steady state, throttling and a completed deployment", () => {
    expect(serviceEventMessages({ type: "ServiceSteadyStateReached", data: base })).toEqual([
      "(service web) has reached a steady state.",
    ]);
    expect(
      serviceEventMessages({
        type: "ServiceTaskLaunchThrottled",
        data: { ...base, consecutiveFailures: 3, delaySeconds: 30, until: base.at + 30 },
      }),
    ).toEqual(["(service web) is unable to consistently start tasks successfully."]);
    expect(
      serviceEventMessages({
        type: "ServiceDeploymentCompleted",
        data: { ...base, deploymentId: "ecs-svc/42" },
      }),
    ).toEqual(["(service web) (deployment ecs-svc/42) deployment completed."]);
  });

  it("a failed deployment, then (with rollback) the deployment it rolls back to", () => {
    const failed = {
      ...base,
      deploymentId: "ecs-svc/2",
      reason: "tasks failed to start",
      failedTasks: 3,
    };
    expect(serviceEventMessages({ type: "ServiceDeploymentFailed", data: failed })).toEqual([
      "(service web) (deployment ecs-svc/2) deployment failed: tasks failed to start.",
    ]);
    expect(
      serviceEventMessages({
        type: "ServiceDeploymentFailed",
        data: {
          ...failed,
          rollback: {
            deploymentId: "ecs-svc/3",
            taskDefinitionArn: "arn:aws:ecs:eu-west-1:123456789012:task-definition/web:1",
          },
        },
      }),
    ).toEqual([
      "(service web) (deployment ecs-svc/2) deployment failed: tasks failed to start.",
      "(service web) rolling back to deployment ecs-svc/3.",
    ]);
  });

  it("a placement failure is its message verbatim", () => {
    const message =
      "(service web) was unable to place a task because no container instance met all of its requirements.";
    expect(
      serviceEventMessages({ type: "ServiceTaskPlacementFailed", data: { ...base, message } }),
    ).toEqual([message]);
  });

  it("lifecycle events produce no message", () => {
    expect(
      serviceEventMessages({ type: "ServiceDeleted", data: { ...base, force: true } }),
    ).toEqual([]);
    expect(serviceEventMessages({ type: "ServiceInactivated", data: base })).toEqual([]);
    expect(
      serviceEventMessages({
        type: "ServiceDeploymentsRetired",
        data: { ...base, deploymentIds: ["ecs-svc/1"] },
      }),
    ).toEqual([]);
  });
});
