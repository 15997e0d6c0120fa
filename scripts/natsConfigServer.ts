import {
  agentInboxPrefix,
  agentSubject,
  commandWildcard,
  eventStreamName,
  eventsWildcard,
  FLEET_INBOX_PREFIX,
  inboxWildcard,
  serviceInboxPrefix,
} from "../shared/bus/index.js";
import { publicStreamName } from "../shared/publicEvents/publicEvent.js";
import { publicWildcard } from "../shared/publicEvents/publicSubject.js";
import type { NatsUsers, Secret } from "./natsConfigUsers.js";

/** What one NATS user may do; everything else is denied. */
export interface UserPermissions {
  readonly user: string;
  readonly secret: Secret;
  readonly publish: readonly string[];
  readonly subscribe: readonly string[];
  /** May answer the requests it receives (publish once to their reply subjects). */
  readonly allowResponses: boolean;
}

export const agentUserName = (agentId: string): string => `agent-${agentId}`;
export const FLEET_USER = "fleet";

/** What an agent publishes (requests and reports), and the one kind it receives. */
const AGENT_OUT = [
  "register",
  "heartbeat",
  "manifest",
  "state",
  "states",
  "stats",
  "logs",
  "credentials",
  "secrets",
] as const;
const AGENT_IN = "notify";

/** The JetStream API calls that create or update a stream and read its info. */
const streamApi = (stream: string): string[] => [
  `$JS.API.STREAM.INFO.${stream}`,
  `$JS.API.STREAM.CREATE.${stream}`,
  `$JS.API.STREAM.UPDATE.${stream}`,
];

/**
 * Every user's allow lists (docs/security.md, "NATS"):
 *  - api: sends commands; reads its own replies; serves the agents' log batches.
 *  - scheduler: serves its commands and the agents' requests, notifies agents, relays the log
 *    into `<PREFIX>_EVENTS` and `<PREFIX>_PUBLIC` (which it creates), watches events.
 *  - autoscaler: serves its commands, sends commands, reads every agent's stats.
 *  - agent <id>: publishes only on `<prefix>.agent.<id>.*`, reads only its notify subject and
 *    its own inbox `_INBOX.agent.<id>.>`; no commands, no events, no JetStream.
 *  - fleet: the same for every agent id (many agents on one connection, benchmarks only).
 */
export const natsPermissions = (users: NatsUsers): UserPermissions[] => {
  const p = users.prefix;
  const events = eventStreamName(p);
  const publicEvents = publicStreamName(p);
  const agentKinds = (id: string, kinds: readonly string[]) =>
    kinds.map((kind) => agentSubject(p, id, kind));
  const list: UserPermissions[] = [
    {
      user: "api",
      secret: users.services.api,
      publish: [commandWildcard(p, "scheduler"), commandWildcard(p, "autoscaler")],
      // The agents' log batches (docs/logs.md), answered with the stream's cursor.
      subscribe: [
        inboxWildcard(serviceInboxPrefix("api")),
        agentSubject(p, "*", "logs"),
        // Task role credentials the agents ask for (docs/security.md, "Task roles").
        agentSubject(p, "*", "credentials"),
        // Containers' secrets the agents ask for (docs/secrets.md).
        agentSubject(p, "*", "secrets"),
      ],
      allowResponses: true,
    },
    {
      user: "scheduler",
      secret: users.services.scheduler,
      publish: [
        eventsWildcard(p),
        publicWildcard(p),
        agentSubject(p, "*", AGENT_IN),
        "$JS.API.INFO",
        ...streamApi(events),
        ...streamApi(publicEvents),
      ],
      subscribe: [
        commandWildcard(p, "scheduler"),
        ...agentKinds("*", ["register", "manifest", "state", "states", "heartbeat"]),
        eventsWildcard(p),
        inboxWildcard(serviceInboxPrefix("scheduler")),
      ],
      allowResponses: true,
    },
    {
      user: "autoscaler",
      secret: users.services.autoscaler,
      publish: [commandWildcard(p, "scheduler"), commandWildcard(p, "autoscaler")],
      subscribe: [
        commandWildcard(p, "autoscaler"),
        agentSubject(p, "*", "stats"),
        inboxWildcard(serviceInboxPrefix("autoscaler")),
      ],
      allowResponses: true,
    },
    ...users.agents.map((agent): UserPermissions => ({
      user: agentUserName(agent.id),
      secret: agent,
      publish: agentKinds(agent.id, AGENT_OUT),
      subscribe: [agentSubject(p, agent.id, AGENT_IN), inboxWildcard(agentInboxPrefix(agent.id))],
      allowResponses: false,
    })),
  ];
  if (users.fleet) {
    list.push({
      user: FLEET_USER,
      secret: users.fleet,
      publish: agentKinds("*", AGENT_OUT),
      subscribe: [agentSubject(p, "*", AGENT_IN), inboxWildcard(FLEET_INBOX_PREFIX)],
      allowResponses: false,
    });
  }
  for (const extra of users.extraUsers) {
    list.push({
      user: extra.user,
      secret: extra,
      publish: extra.publish,
      subscribe: extra.subscribe,
      allowResponses: false,
    });
  }
  return list;
};

/** A string in the config's syntax: JSON's double-quoted string is one. */
const str = (value: string): string => JSON.stringify(value);

/** `$NAME` makes nats-server read the value from its environment at start. */
const password = (secret: Secret): string =>
  secret.passwordEnv !== undefined ? `$${secret.passwordEnv}` : str(secret.password ?? "");

const allowList = (subjects: readonly string[]): string =>
  subjects.length === 0 ? "[]" : `[${subjects.map(str).join(", ")}]`;

/**
 * A nats-server configuration: listen address, JetStream, and one user per service, agent and
 * extra user, each allowed only its own subjects. Users without permissions (none are written)
 * and subjects outside the allow lists are denied.
 */
export const natsServerConfig = (users: NatsUsers): string => {
  const names = new Set<string>();
  for (const u of natsPermissions(users)) {
    if (names.has(u.user)) throw new Error(`the NATS user ${u.user} is defined twice`);
    names.add(u.user);
  }
  const userBlocks = natsPermissions(users).map((u) =>
    [
      "    {",
      `      user: ${str(u.user)}`,
      `      password: ${password(u.secret)}`,
      "      permissions: {",
      `        publish: { allow: ${allowList(u.publish)} }`,
      `        subscribe: { allow: ${allowList(u.subscribe)} }`,
      ...(u.allowResponses ? ["        allow_responses: true"] : []),
      "      }",
      "    }",
    ].join("\n"),
  );
  return [
    '# Generated by `npm run nats:config` from a users file (docs/security.md, "NATS").',
    "# Regenerate it instead of editing it.",
    `listen: ${str(users.listen)}`,
    ...(users.monitorPort === undefined ? [] : [`http_port: ${users.monitorPort}`]),
    users.storeDir === undefined
      ? "jetstream: {}"
      : `jetstream: { store_dir: ${str(users.storeDir)} }`,
    "",
    "authorization: {",
    "  # Anyone without permissions of their own may do nothing.",
    '  default_permissions: { publish: { deny: [">"] }, subscribe: { deny: [">"] } }',
    "  users: [",
    userBlocks.join("\n"),
    "  ]",
    "}",
    "",
  ].join("\n");
};
