import { describe, expect, it } from "vitest";
import { place, placementFailureMessage } from "../../../services/scheduler/placement/index.js";
import { runTaskFailure } from "../../../services/scheduler/tasks/launchTasks.js";
import { arnOf, instance, request } from "./fixtures.js";

const PRIVILEGED = "com.amazonaws.ecs.capability.privileged-container";

describe("required attributes (host access)", () => {
  const plain = instance("a");
  const allowing = instance("b", {
    attributes: { "ecs.availability-zone": "us-east-1a", [PRIVILEGED]: undefined },
  });

  it("places only on an instance that registered the attribute (a value is not needed)", () => {
    const d = place([plain, allowing], request({ requiredAttributes: [PRIVILEGED], count: 2 }));
    expect(d.placements).toEqual([arnOf("b"), arnOf("b")]);
  });

  it("no instance has it: the failure is ATTRIBUTE and names the attribute", () => {
    const d = place([plain], request({ requiredAttributes: [PRIVILEGED] }));
    expect(d.placements).toEqual([]);
    const failure = d.failures[0]!;
    expect(failure.closest).toEqual({
      arn: arnOf("a"),
      code: "ATTRIBUTE",
      missing: `is missing an attribute required by your task (${PRIVILEGED})`,
    });
    expect(placementFailureMessage("web", failure)).toContain(PRIVILEGED);
    const runTask = runTaskFailure("arn:cluster", failure);
    expect(runTask.reason).toBe("ATTRIBUTE");
    expect(runTask.detail).toContain(PRIVILEGED);
  });

  it("no required attributes: every instance qualifies, as before", () => {
    expect(place([plain], request({ requiredAttributes: [] })).placements).toEqual([arnOf("a")]);
    expect(place([plain], request()).placements).toEqual([arnOf("a")]);
  });
});
