import { describe, expect, it } from "vitest";
import {
  awslogsStreamName,
  logGroupNameOf,
  validateLogGroupName,
  validateLogStreamName,
} from "../../../shared/logs/index.js";
import { awslogsLabels, shippingTargetOf } from "../../../services/agent/logs/awslogsLabels.js";
import { labelsFor } from "../../../services/agent/tasks/containerSpecFor.js";
import type { ManifestTask } from "../../../shared/agent/protocol.js";

const TASK_ARN = "arn:aws:ecs:us-east-1:000000000000:task/default/0123456789abcdef";

describe("awslogs stream names", () => {
  it("are <prefix>/<container name>/<task id>, as ECS names them", () => {
    expect(awslogsStreamName("web", "nginx", "0123456789abcdef", "c0ffee")).toBe(
      "web/nginx/0123456789abcdef",
    );
  });

  it("are the container's engine id without a prefix", () => {
    expect(awslogsStreamName(undefined, "nginx", "0123", "c0ffee")).toBe("c0ffee");
    expect(awslogsStreamName("", "nginx", "0123", "c0ffee")).toBe("c0ffee");
  });

  it("come from the labels the agent puts on the container", () => {
    const labels = {
      "com.flotilla.task-arn": TASK_ARN,
      "com.flotilla.container-name": "app",
      ...awslogsLabels({
        logDriver: "awslogs",
        options: {
          "awslogs-group": "/ecs/demo",
          "awslogs-region": "us-east-1",
          "awslogs-stream-prefix": "ecs",
          "awslogs-create-group": "true",
        },
      }),
    };
    expect(shippingTargetOf({ id: "abc", labels })).toEqual({
      taskArn: TASK_ARN,
      containerName: "app",
      logGroupName: "/ecs/demo",
      logStreamName: "ecs/app/0123456789abcdef",
      createGroup: true,
    });
  });

  it("ship nothing for another driver, and create no group unless asked", () => {
    expect(awslogsLabels({ logDriver: "json-file", options: {} })).toEqual({});
    expect(awslogsLabels(undefined)).toEqual({});
    const labels = awslogsLabels({
      logDriver: "awslogs",
      options: { "awslogs-group": "g", "awslogs-region": "us-east-1" },
    });
    expect(labels["com.flotilla.awslogs-create-group"]).toBe("false");
  });

  it("cannot be forged with dockerLabels", () => {
    const task = {
      taskArn: TASK_ARN,
      clusterName: "default",
      taskDefinition: { family: "f", revision: 1 },
    } as unknown as ManifestTask;
    const labels = labelsFor(
      task,
      { name: "app", dockerLabels: { "com.flotilla.awslogs-group": "someone-elses", team: "a" } },
      "i-1",
    );
    expect(labels["com.flotilla.awslogs-group"]).toBeUndefined();
    expect(labels.team).toBe("a");
  });
});

describe("log group and stream names", () => {
  it("accept CloudWatch's characters and refuse others, naming the field", () => {
    expect(validateLogGroupName("/ecs/my-app_1.#x")).toBe("/ecs/my-app_1.#x");
    expect(() => validateLogGroupName("bad name")).toThrow(/logGroupName/);
    expect(() => validateLogGroupName("")).toThrow(/logGroupName/);
    expect(() => validateLogGroupName("x".repeat(513))).toThrow(/length/);
    expect(validateLogStreamName("ecs/app/123")).toBe("ecs/app/123");
    expect(() => validateLogStreamName("a:b")).toThrow(/logStreamName/);
    expect(() => validateLogStreamName("a*b")).toThrow(/logStreamName/);
  });

  it("take a group ARN as logGroupIdentifier", () => {
    expect(logGroupNameOf("arn:aws:logs:us-east-1:000000000000:log-group:/ecs/x:*")).toBe("/ecs/x");
    expect(logGroupNameOf("arn:aws:logs:us-east-1:000000000000:log-group:/ecs/x")).toBe("/ecs/x");
    expect(logGroupNameOf("/ecs/x")).toBe("/ecs/x");
  });
});
