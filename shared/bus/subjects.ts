/**
 * NATS subject conventions (docs/architecture.md):
 *   commands  <prefix>.cmd.<owner>.<CommandName>          request/reply, queue group <owner>
 *   events    <prefix>.evt.<cluster>.<aggregate>.<Type>   JetStream stream <PREFIX>_EVENTS
 *   agents    <prefix>.agent.<instanceId>.<kind>
 * The prefix is `flotilla` in production; tests use one of their own.
 */
export type CommandOwner = "scheduler" | "autoscaler" | "agent";

/** Cluster token for events that belong to no cluster (task definitions). `@` is not valid in cluster names. */
export const ACCOUNT_TOKEN = "@account";

export const commandSubject = (prefix: string, owner: CommandOwner, command: string): string =>
  `${prefix}.cmd.${owner}.${command}`;

export const commandWildcard = (prefix: string, owner: CommandOwner): string =>
  `${prefix}.cmd.${owner}.*`;

export const eventSubject = (
  prefix: string,
  cluster: string | undefined,
  aggregate: string,
  type: string,
): string => `${prefix}.evt.${cluster ?? ACCOUNT_TOKEN}.${aggregate}.${type}`;

export const eventsWildcard = (prefix: string): string => `${prefix}.evt.>`;

/** `flotilla` → `FLOTILLA_EVENTS`; stream names allow letters, digits, `-` and `_`. */
export const eventStreamName = (prefix: string): string => `${prefix.toUpperCase()}_EVENTS`;

export const agentSubject = (prefix: string, instanceId: string, kind: string): string =>
  `${prefix}.agent.${instanceId}.${kind}`;

/** The agent id of an agent subject: its third token (`<prefix>.agent.<agentId>.<kind>`). */
export const agentIdOfSubject = (subject: string): string => subject.split(".")[2] ?? "";
