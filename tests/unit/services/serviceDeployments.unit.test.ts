import { describe, expect, it } from "vitest";
import {
  completeDeployment,
  failDeployment,
  retireDeployments,
  rolloutReason,
  setPrimaryDesiredCount,
  startDeployment,
} from "../../../shared/projections/serviceDeployments.js";

const TD = (rev: number) => `arn:aws:ecs:eu-west-1:123456789012:task-definition/web:${rev}`;

describe("service deployments", () => {
  const first = startDeployment([], {
    id: "ecs-svc/1",
    taskDefinition: TD(1),
    desiredCount: 2,
    launchType: "EC2",
    at: 100.0004,
  });

  it("a new service has one PRIMARY deployment, IN_PROGRESS", () => {
    expect(first).toEqual([
      {
        id: "ecs-svc/1",
        status: "PRIMARY",
        taskDefinition: TD(1),
        desiredCount: 2,
        rolloutState: "IN_PROGRESS",
        rolloutStateReason: "ECS deployment ecs-svc/1 in progress.",
        failedTasks: 0,
        createdAt: 100,
        updatedAt: 100,
        launchType: "EC2",
      },
    ]);
  });

  it("a new deployment becomes PRIMARY; the old one ACTIVE with desiredCount 0", () => {
    const done = completeDeployment(first, "ecs-svc/1", 110);
    expect(done[0]).toMatchObject({
      rolloutState: "COMPLETED",
      rolloutStateReason: "ECS deployment ecs-svc/1 completed.",
      updatedAt: 110,
    });
    const second = startDeployment(done, {
      id: "ecs-svc/2",
      taskDefinition: TD(2),
      desiredCount: 2,
      launchType: "EC2",
      at: 120,
    });
    expect(second.map((d) => [d.id, d.status, d.desiredCount, d.rolloutState])).toEqual([
      ["ecs-svc/2", "PRIMARY", 2, "IN_PROGRESS"],
      ["ecs-svc/1", "ACTIVE", 0, "COMPLETED"],
    ]);
    expect(retireDeployments(second, ["ecs-svc/1"]).map((d) => d.id)).toEqual(["ecs-svc/2"]);
  });

  it("a failure with rollback: FAILED goes ACTIVE, the rollback is PRIMARY", () => {
    const failed = failDeployment(first, "ecs-svc/1", 3, 130);
    expect(failed[0]).toMatchObject({
      status: "PRIMARY",
      rolloutState: "FAILED",
      rolloutStateReason: "ECS deployment circuit breaker: tasks failed to start.",
      failedTasks: 3,
    });
    const rolled = startDeployment(failed, {
      id: "ecs-svc/9",
      taskDefinition: TD(1),
      desiredCount: 2,
      launchType: "EC2",
      at: 130,
      reason: rolloutReason.rollingBack("ecs-svc/9"),
    });
    expect(rolled.map((d) => [d.id, d.status, d.rolloutState, d.rolloutStateReason])).toEqual([
      [
        "ecs-svc/9",
        "PRIMARY",
        "IN_PROGRESS",
        "ECS deployment circuit breaker: rolling back to deploymentId ecs-svc/9.",
      ],
      ["ecs-svc/1", "ACTIVE", "FAILED", "ECS deployment circuit breaker: tasks failed to start."],
    ]);
  });

  it("the PRIMARY follows the desired count; ACTIVE ones stay at 0", () => {
    const second = startDeployment(first, {
      id: "ecs-svc/2",
      taskDefinition: TD(2),
      desiredCount: 2,
      launchType: "EC2",
      at: 120,
    });
    expect(setPrimaryDesiredCount(second, 5, 140).map((d) => d.desiredCount)).toEqual([5, 0]);
  });
});
