import { describe, expect, it } from "vitest";
import { clusterOfInstanceArn, containerInstanceArn } from "../../../shared/domain/arn.js";
import { poolClusterName } from "../../../shared/domain/capacityProviders/managedPools.js";

const ARN = { region: "us-east-1", accountId: "000000000000" };

describe("clusterOfInstanceArn: an instance's own cluster, whoever's task it runs", () => {
  it("a user cluster's instance", () => {
    expect(clusterOfInstanceArn(containerInstanceArn(ARN, "apps", "abc123"))).toBe("apps");
  });

  it("a managed pool's instance: the pool's reserved cluster (its name holds dots)", () => {
    const pool = poolClusterName("FARGATE_SPOT");
    expect(clusterOfInstanceArn(containerInstanceArn(ARN, pool, "abc123"))).toBe(
      "flotilla.pool.FARGATE_SPOT",
    );
  });

  it("anything else: undefined", () => {
    expect(clusterOfInstanceArn("abc123")).toBeUndefined();
    expect(
      clusterOfInstanceArn("arn:aws:ecs:us-east-1:000000000000:task/apps/abc"),
    ).toBeUndefined();
    expect(
      clusterOfInstanceArn("arn:aws:ecs:us-east-1:000000000000:container-instance/abc"),
    ).toBeUndefined();
  });
});
