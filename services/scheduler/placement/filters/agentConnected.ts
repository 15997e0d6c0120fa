import type { PlacementFilter } from "./filter.js";

export const agentConnectedFilter: PlacementFilter = {
  name: "AGENT",
  code: "AGENT",
  missing: 'encountered error "AGENT"',
  accepts: (c) => c.agentConnected,
};
