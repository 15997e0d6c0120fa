/**
 * Host access a task definition asks for: the fields that reach past the container onto the
 * host (privileged mode, host-path volumes, the host's network, the Docker socket). PURE and
 * shared: RegisterTaskDefinition turns the answer into `requiresAttributes`, the agent into a
 * refusal, so the scheduler and the agent judge a definition by the same rule.
 */
import { posix } from "node:path";

export type HostAccessKind = "privileged" | "hostPathVolume" | "hostNetwork" | "dockerSocket";

/**
 * The attribute an instance registers when its agent allows the kind, and the task
 * definition requires when it asks for it. Privileged mode uses the ECS agent's name.
 */
export const HOST_ACCESS_ATTRIBUTE: Readonly<Record<HostAccessKind, string>> = {
  privileged: "com.amazonaws.ecs.capability.privileged-container",
  hostPathVolume: "com.flotilla.capability.host-path-volumes",
  hostNetwork: "com.flotilla.capability.host-network",
  dockerSocket: "com.flotilla.capability.docker-socket",
};

const HOST_ACCESS_ATTRIBUTES: ReadonlySet<string> = new Set(Object.values(HOST_ACCESS_ATTRIBUTE));

/** Of a definition's `requiresAttributes`, the host-access ones placement enforces. */
export const hostAccessAttributes = (attributes: readonly { readonly name: string }[]): string[] =>
  attributes.map((a) => a.name).filter((name) => HOST_ACCESS_ATTRIBUTES.has(name));

/** The Docker engine's usual socket paths (`/var/run` is a link to `/run` on most hosts). */
export const DOCKER_SOCKET_PATHS: readonly string[] = ["/var/run/docker.sock", "/run/docker.sock"];

const normalise = (path: string): string => {
  const n = posix.normalize(posix.join("/", path.trim()));
  return n.length > 1 && n.endsWith("/") ? n.slice(0, -1) : n;
};

/**
 * Does mounting this host path expose the Docker socket? True for the socket itself and for
 * any directory holding it (`/`, `/var`, `/var/run`, `/run`), after `.`, `..` and repeated
 * slashes are resolved. `extraSockets` adds the agent's own DOCKER_SOCKET.
 */
export const exposesDockerSocket = (
  sourcePath: string,
  extraSockets: readonly string[] = [],
): boolean => {
  const source = normalise(sourcePath);
  return [...DOCKER_SOCKET_PATHS, ...extraSockets].map(normalise).some((socket) => {
    if (source === socket) return true;
    const dir = source === "/" ? "/" : `${source}/`;
    return socket.startsWith(dir);
  });
};

/** One thing a definition asks for, with the field that asks, e.g. `volumes[0].host.sourcePath`. */
export interface HostAccessNeed {
  readonly kind: HostAccessKind;
  readonly field: string;
  /** What asks: a container or volume name, or the network mode. */
  readonly subject: string;
}

/** The part of a task definition (request or stored form) the rule reads. */
export interface HostAccessSubject {
  readonly networkMode?: string | undefined;
  readonly volumes?:
    | readonly {
        readonly name?: string | undefined;
        readonly host?: { readonly sourcePath?: string | undefined } | undefined;
      }[]
    | undefined;
  readonly containerDefinitions: readonly {
    readonly name?: string | undefined;
    readonly privileged?: boolean | undefined;
  }[];
}

/**
 * Everything host-reaching the definition asks for, in field order. A host-path volume that
 * exposes the Docker socket is both a host-path volume and the socket: it needs both
 * allowances. Declared volumes count whether or not a container mounts them, as in
 * `requiresAttributes`.
 */
export const hostAccessNeeds = (
  td: HostAccessSubject,
  extraSockets: readonly string[] = [],
): HostAccessNeed[] => {
  const needs: HostAccessNeed[] = [];
  td.containerDefinitions.forEach((c, i) => {
    if (c.privileged === true) {
      needs.push({
        kind: "privileged",
        field: `containerDefinitions[${i}].privileged`,
        subject: c.name ?? "",
      });
    }
  });
  (td.volumes ?? []).forEach((v, i) => {
    const sourcePath = v.host?.sourcePath;
    if (sourcePath === undefined) return;
    const field = `volumes[${i}].host.sourcePath`;
    // The socket first: the more telling reason when both are refused.
    if (exposesDockerSocket(sourcePath, extraSockets)) {
      needs.push({ kind: "dockerSocket", field, subject: v.name ?? "" });
    }
    needs.push({ kind: "hostPathVolume", field, subject: v.name ?? "" });
  });
  if (td.networkMode === "host") {
    needs.push({ kind: "hostNetwork", field: "networkMode", subject: "host" });
  }
  return needs;
};
