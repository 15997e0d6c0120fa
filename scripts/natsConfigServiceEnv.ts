import { agentUserName } from "./natsConfigServer.js";
import type { NatsUsers, Secret } from "./natsConfigUsers.js";

export type NatsServiceName = "api" | "scheduler" | "autoscaler" | "agent";
export type NatsServiceEnv = Record<NatsServiceName, { NATS_USER: string; NATS_PASSWORD: string }>;

/**
 * Each service's NATS_USER and NATS_PASSWORD from a users file (`FLOTILLA_NATS_USERS`, used by
 * `npm start`); the agent's user is the one for `agentId`. A password given as `passwordEnv`
 * is read from `env`. Throws an Error naming what to fix.
 */
export const natsServiceEnv = (
  users: NatsUsers,
  agentId: string,
  env: Record<string, string | undefined>,
  usersFile = "the users file",
): NatsServiceEnv => {
  const reveal = (secret: Secret, who: string): string => {
    if (secret.password !== undefined) return secret.password;
    const value = env[secret.passwordEnv ?? ""];
    if (!value) {
      throw new Error(
        `${usersFile} takes the password of ${who} from ${secret.passwordEnv}, which is not set`,
      );
    }
    return value;
  };
  const agent = users.agents.find((a) => a.id === agentId);
  if (!agent) {
    throw new Error(
      `${usersFile} has no user for this host's agent ${agentId}; add {"id": "${agentId}", ` +
        `"password": ...} to its agents (or set FLOTILLA_AGENT_ID to one listed) and regenerate ` +
        "the NATS config with npm run nats:config",
    );
  }
  const entry = (user: string, secret: Secret) => ({
    NATS_USER: user,
    NATS_PASSWORD: reveal(secret, user),
  });
  return {
    api: entry("api", users.services.api),
    scheduler: entry("scheduler", users.services.scheduler),
    autoscaler: entry("autoscaler", users.services.autoscaler),
    agent: entry(agentUserName(agentId), agent),
  };
};
