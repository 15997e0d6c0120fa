import { networkInterfaces } from "node:os";
import Docker from "dockerode";

/** The first host address of an IPv4 subnet (`172.17.0.0/16` → `172.17.0.1`): Docker's default gateway. */
export const firstHostAddress = (subnet: string): string | undefined => {
  const m = /^(\d+)\.(\d+)\.(\d+)\.(\d+)\/(\d+)$/.exec(subnet.trim());
  if (!m) return undefined;
  const bits = Number(m[5]);
  if (bits > 30) return undefined;
  const ip = m.slice(1, 5).reduce((n, octet) => n * 256 + Number(octet), 0);
  const mask = bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
  const first = ((ip & mask) >>> 0) + 1;
  return [24, 16, 8, 0].map((shift) => (first >>> shift) & 255).join(".");
};

/**
 * The host's address on Docker's default bridge (usually 172.17.0.1): every
 * container on a bridge or a task network reaches it through its gateway.
 * The network's IPAM gateway, else the bridge interface's IPv4 address (Node
 * lists it only while a container is attached), else the subnet's first
 * address, which is what Docker gives the bridge.
 */
export const dockerBridgeGateway = async (socketPath: string): Promise<string | undefined> => {
  const network = (await new Docker({ socketPath }).getNetwork("bridge").inspect()) as {
    IPAM?: { Config?: { Gateway?: string; Subnet?: string }[] };
    Options?: Record<string, string>;
  };
  const configs = network.IPAM?.Config ?? [];
  const gateway = configs.find((c) => c.Gateway)?.Gateway;
  if (gateway) return gateway;
  const ifname = network.Options?.["com.docker.network.bridge.name"] ?? "docker0";
  const listed = networkInterfaces()[ifname]?.find((a) => a.family === "IPv4")?.address;
  if (listed) return listed;
  for (const c of configs) {
    const first = c.Subnet ? firstHostAddress(c.Subnet) : undefined;
    if (first) return first;
  }
  return undefined;
};
