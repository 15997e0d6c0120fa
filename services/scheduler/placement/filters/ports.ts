import type { PlacementFilter } from "./filter.js";

/**
 * No two tasks on one instance may bind the same host port; TCP and UDP are
 * apart. The remaining capacity's port lists hold the ports already in use
 * (reserved at registration plus every task's).
 */
export const portsFilter: PlacementFilter = {
  name: "PORTS",
  code: "RESOURCE:PORTS",
  missing: "is already using a port required by your task",
  accepts: (c, { need }) => {
    // The lists are short (a few ports each): a scan beats building sets per instance.
    for (const p of need.tcpPorts) if (c.remaining.tcpPorts.includes(p)) return false;
    for (const p of need.udpPorts) if (c.remaining.udpPorts.includes(p)) return false;
    return true;
  },
};
