/**
 * Reply inboxes. Every connection takes replies on an inbox prefix of its own, so NATS
 * permissions can let each read only its own replies (docs/security.md, "NATS"): an agent
 * allowed `_INBOX.>` could read the manifests — the commands — sent to every other agent.
 *   services  _INBOX.<service>          (api, scheduler, autoscaler)
 *   agents    _INBOX.agent.<agentId>
 *   the hollow fleet  _INBOX.fleet
 */
export const serviceInboxPrefix = (service: string): string => `_INBOX.${service}`;

export const agentInboxPrefix = (agentId: string): string => `_INBOX.agent.${agentId}`;

export const FLEET_INBOX_PREFIX = "_INBOX.fleet";

/** What a connection with this inbox prefix must be allowed to subscribe to. */
export const inboxWildcard = (inboxPrefix: string): string => `${inboxPrefix}.>`;
