import { describe, expect, it } from "vitest";
import { failureCodeOfMessage } from "../../../services/scheduler/placement/failureCodeOfMessage.js";
import {
  filterChain,
  NO_INSTANCES,
  placementFailureMessage,
} from "../../../services/scheduler/placement/index.js";

const ARN = "arn:aws:ecs:us-east-1:000000000000:container-instance/default/abc";

describe("failureCodeOfMessage", () => {
  it("recovers every filter's code from the service event message it leads to", () => {
    const filters = filterChain(
      [{ type: "distinctInstance" }, { type: "memberOf", expression: "attribute:x == y" }],
      ["com.flotilla.capability.host-network"],
    );
    // Every MissingCode: CPU, memory, ports, agent, status, attribute and both constraints.
    expect(new Set(filters.map((f) => f.code)).size).toBe(8);
    for (const f of filters) {
      const message = placementFailureMessage("web", {
        reason: "no container instance met all of its requirements.",
        closest: { arn: ARN, missing: f.missing, code: f.code },
      });
      expect(failureCodeOfMessage(message), message).toBe(f.code);
    }
  });

  it("reads an empty cluster as NO_INSTANCES and anything else as OTHER", () => {
    expect(failureCodeOfMessage(placementFailureMessage("web", { reason: NO_INSTANCES }))).toBe(
      "NO_INSTANCES",
    );
    expect(failureCodeOfMessage("something new")).toBe("OTHER");
  });
});
