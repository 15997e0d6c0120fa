import { describe, expect, it } from "vitest";
import { EVENT_CATALOGUE } from "../../../shared/events/index.js";
import { serviceProjection } from "../../../shared/projections/serviceProjection.js";

describe("the services projection", () => {
  it("handles every event of the service aggregate (so each one's messages are recorded)", () => {
    const serviceEvents = Object.entries(EVENT_CATALOGUE)
      .filter(([, entry]) => entry.aggregate === "service")
      .map(([type]) => type)
      .sort();
    expect([...serviceProjection.handles].sort()).toEqual(serviceEvents);
  });
});
