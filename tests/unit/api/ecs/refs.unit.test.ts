import { describe, expect, it } from "vitest";
import { arnInCluster, failureArn, targetOf } from "../../../../services/api/ecs/refs.js";
import type { EcsError } from "../../../../shared/domain/errors.js";

const ARN = { region: "eu-west-1", accountId: "123456789012" };
const ID = "0123456789abcdef0123456789abcdef";
const taskIn = (cluster: string) => `arn:aws:ecs:eu-west-1:123456789012:task/${cluster}/${ID}`;

describe("references to tasks and container instances", () => {
  it("reads a bare id as the resource in the addressed cluster", () => {
    expect(arnInCluster(ARN, ID, "task", "demo")).toBe(taskIn("demo"));
    expect(arnInCluster(ARN, ID, "container-instance", "demo")).toBe(
      `arn:aws:ecs:eu-west-1:123456789012:container-instance/demo/${ID}`,
    );
  });

  it("takes an ARN as given, unless it names another cluster or kind", () => {
    expect(arnInCluster(ARN, taskIn("demo"), "task", "demo")).toBe(taskIn("demo"));
    expect(arnInCluster(ARN, taskIn("other"), "task", "demo")).toBeUndefined();
    expect(arnInCluster(ARN, taskIn("demo"), "container-instance", "demo")).toBeUndefined();
    expect(arnInCluster(ARN, "not an id!", "task", "demo")).toBeUndefined();
    expect(failureArn(ARN, "not an id!", "task", "demo")).toBe("not an id!");
  });

  it("for a mutation, an ARN names its cluster unless a cluster is given", () => {
    expect(targetOf(ARN, taskIn("other"), "task", undefined, "task")).toEqual({
      clusterName: "other",
      arn: taskIn("other"),
    });
    expect(targetOf(ARN, ID, "task", undefined, "task")).toEqual({
      clusterName: "default",
      arn: taskIn("default"),
    });
    expect(
      targetOf(ARN, ID, "task", "arn:aws:ecs:eu-west-1:123456789012:cluster/demo", "task"),
    ).toEqual({ clusterName: "demo", arn: taskIn("demo") });
  });

  it("refuses a reference of another cluster, or not a reference at all, naming the field", () => {
    const refused = (fn: () => unknown) => {
      try {
        fn();
      } catch (error) {
        return error as EcsError;
      }
      throw new Error("not refused");
    };
    const other = refused(() => targetOf(ARN, taskIn("other"), "task", "demo", "task"));
    expect(other.type).toBe("InvalidParameterException");
    expect(other.message).toBe(
      `task: '${taskIn("other")}' belongs to cluster 'other', not 'demo'.`,
    );
    const bad = refused(() =>
      targetOf(ARN, "?", "container-instance", "demo", "containerInstance"),
    );
    expect(bad.message).toBe("containerInstance: '?' is not a container instance ARN or id.");
  });
});
