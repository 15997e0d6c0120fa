/**
 * Which host access this agent allows, and the refusal of a task that asks for more (PURE).
 * The rule of what a task asks for is shared with RegisterTaskDefinition's
 * `requiresAttributes` (shared/domain/taskDefinition/hostAccess.ts); this module adds the
 * agent's side: its allow flags, the attributes it registers for them, and the reason a task
 * stops with when it reaches this agent anyway (a definition registered before the attribute
 * existed, a StartTask naming the instance). Both runtimes (Docker and hollow) go through it.
 */
import {
  HOST_ACCESS_ATTRIBUTE,
  hostAccessNeeds,
  type HostAccessKind,
  type HostAccessNeed,
  type HostAccessSubject,
} from "../../../shared/domain/taskDefinition/hostAccess.js";

/** The agent's allow flags (all false by default). */
export interface HostAccessAllowances {
  /** FLOTILLA_AGENT_ALLOW_PRIVILEGED. */
  readonly allowPrivileged: boolean;
  /** FLOTILLA_AGENT_ALLOW_HOST_PATH_VOLUMES. */
  readonly allowHostPathVolumes: boolean;
  /** FLOTILLA_AGENT_ALLOW_HOST_NETWORK. */
  readonly allowHostNetwork: boolean;
  /** FLOTILLA_AGENT_ALLOW_DOCKER_SOCKET (a host-path volume exposing the socket needs both). */
  readonly allowDockerSocket: boolean;
  /** The engine's socket the agent talks to (DOCKER_SOCKET), refused like the usual paths. */
  readonly dockerSocketPath?: string;
}

export const NO_HOST_ACCESS: HostAccessAllowances = {
  allowPrivileged: false,
  allowHostPathVolumes: false,
  allowHostNetwork: false,
  allowDockerSocket: false,
};

/** The configuration variable that allows each kind. */
export const ALLOW_FLAG: Readonly<Record<HostAccessKind, string>> = {
  privileged: "FLOTILLA_AGENT_ALLOW_PRIVILEGED",
  hostPathVolume: "FLOTILLA_AGENT_ALLOW_HOST_PATH_VOLUMES",
  hostNetwork: "FLOTILLA_AGENT_ALLOW_HOST_NETWORK",
  dockerSocket: "FLOTILLA_AGENT_ALLOW_DOCKER_SOCKET",
};

export const isAllowed = (kind: HostAccessKind, a: HostAccessAllowances): boolean => {
  switch (kind) {
    case "privileged":
      return a.allowPrivileged;
    case "hostPathVolume":
      return a.allowHostPathVolumes;
    case "hostNetwork":
      return a.allowHostNetwork;
    case "dockerSocket":
      return a.allowDockerSocket;
  }
};

/** The host-access attributes this agent registers: one per kind it allows. */
export const allowedAttributes = (a: HostAccessAllowances): string[] =>
  (Object.keys(HOST_ACCESS_ATTRIBUTE) as HostAccessKind[])
    .filter((kind) => isAllowed(kind, a))
    .map((kind) => HOST_ACCESS_ATTRIBUTE[kind]);

const what: Readonly<Record<HostAccessKind, (n: HostAccessNeed) => string>> = {
  privileged: (n) =>
    `container ${n.subject} (${n.field}): privileged containers are not allowed on this instance`,
  hostPathVolume: (n) =>
    `volume ${n.subject} (${n.field}): host-path volumes are not allowed on this instance`,
  hostNetwork: (n) =>
    `${n.field} ${n.subject}: the host network mode is not allowed on this instance`,
  dockerSocket: (n) =>
    `volume ${n.subject} (${n.field}): mounting the Docker socket is not allowed on this instance`,
};

/** The reason a need is refused, naming the field and the flag that would allow it. */
export const refusalReason = (need: HostAccessNeed): string =>
  `${what[need.kind](need)} (${ALLOW_FLAG[need.kind]})`;

/** The first thing the task asks for that this agent does not allow, or undefined. */
export const hostAccessRefusal = (
  td: HostAccessSubject,
  allowances: HostAccessAllowances,
): string | undefined => {
  const sockets = allowances.dockerSocketPath ? [allowances.dockerSocketPath] : [];
  const refused = hostAccessNeeds(td, sockets).find((n) => !isAllowed(n.kind, allowances));
  return refused && refusalReason(refused);
};
