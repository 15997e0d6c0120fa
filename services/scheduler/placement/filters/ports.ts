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
    const tcp = new Set(c.remaining.tcpPorts);
    const udp = new Set(c.remaining.udpPorts);
    return !need.tcpPorts.some((p) => tcp.has(p)) && !need.udpPorts.some((p) => udp.has(p));
  },
};
