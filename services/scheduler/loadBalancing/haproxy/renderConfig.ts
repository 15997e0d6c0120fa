import type { DesiredState, DesiredTargetGroup } from "./desiredState.js";
import { httpCheckExpect } from "./httpCheckExpect.js";
import { backendName, frontendName, serverName } from "./names.js";

export interface RenderOptions {
  /** The state directory: the admin socket and the server state file live there. */
  readonly dir: string;
  /** Whether to write the `server` lines (the snapshot); false gives the structure alone. */
  readonly servers?: boolean;
}

export const adminSocketPath = (dir: string): string => `${dir}/admin.sock`;
export const serverStatePath = (dir: string): string => `${dir}/servers.state`;

/**
 * A server's check settings. HAProxy 2.6 does not apply `default-server` to
 * servers added at run time (`add server`), so these are spelled out there.
 */
export const serverCheckOptions = (tg: DesiredTargetGroup): string => {
  const hc = tg.healthCheck;
  const checkPort = hc.port === "traffic-port" ? "" : ` port ${Number(hc.port)}`;
  return `inter ${hc.intervalSeconds}s fall ${hc.unhealthyThresholdCount} rise ${hc.healthyThresholdCount}${checkPort}`;
};

const backend = (tg: DesiredTargetGroup, withServers: boolean): string[] => {
  const hc = tg.healthCheck;
  const lines = [
    `backend ${backendName(tg.name)}`,
    `  # ${tg.arn}`,
    "  balance roundrobin",
    `  option httpchk GET ${hc.path.replace(/\s/g, "%20") || "/"}`,
    `  http-check expect ${httpCheckExpect(hc.matcher)}`,
    `  timeout check ${hc.timeoutSeconds}s`,
    `  default-server ${serverCheckOptions(tg)}`,
  ];
  if (withServers) {
    for (const t of [...tg.targets].sort(byServerName)) {
      // A draining target keeps its line with weight 0: no new requests, its
      // open connections still counted (scur), so it can be reported drained.
      const drain = t.state === "draining" ? " weight 0" : "";
      lines.push(`  server ${serverName(t)} ${t.address}:${t.port} check${drain}`);
    }
  }
  return lines;
};

const byServerName = (a: { id: string; port: number }, b: { id: string; port: number }) =>
  serverName(a).localeCompare(serverName(b));

/**
 * The haproxy.cfg for a desired state. With `servers` (the default) it is the
 * snapshot a restarted HAProxy comes back from; without, it is the structure
 * (frontends, backends, their checks) whose change needs a reload.
 */
export const renderConfig = (desired: DesiredState, options: RenderOptions): string => {
  const withServers = options.servers ?? true;
  const groups = [...desired.targetGroups].sort((a, b) => a.name.localeCompare(b.name));
  const nameOf = new Map(groups.map((tg) => [tg.arn, backendName(tg.name)]));
  const out = [
    "# Written by Flotilla's HAProxy controller; every change rewrites it.",
    "global",
    `  stats socket ${adminSocketPath(options.dir)} mode 600 level admin expose-fd listeners`,
    "  master-worker",
    `  server-state-file ${serverStatePath(options.dir)}`,
    "",
    "defaults",
    "  mode http",
    "  timeout connect 2s",
    "  timeout client 60s",
    "  timeout server 60s",
    "  timeout http-request 10s",
    "  timeout queue 10s",
    "  option redispatch",
    "  retries 3",
    "  load-server-state-from-file global",
    "",
  ];
  for (const l of [...desired.listeners].sort((a, b) => a.port - b.port)) {
    const be = nameOf.get(l.targetGroupArn);
    out.push(`frontend ${frontendName(l.port)}`, `  bind 127.0.0.1:${l.port}`);
    if (be) out.push(`  default_backend ${be}`);
    else out.push("  http-request return status 503");
    out.push("");
  }
  for (const tg of groups) out.push(...backend(tg, withServers), "");
  return out.join("\n");
};
