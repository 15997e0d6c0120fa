import { ConfigError } from "../config/index.js";

export interface NatsCredentials {
  readonly user: string;
  readonly pass: string;
}

/**
 * A process's NATS user and password from NATS_USER / NATS_PASSWORD: both (authenticate)
 * or neither (connect without credentials, as against a server that has no users).
 */
export const natsCredentials = (config: {
  readonly NATS_USER?: string | undefined;
  readonly NATS_PASSWORD?: string | undefined;
}): NatsCredentials | undefined => {
  const { NATS_USER: user, NATS_PASSWORD: pass } = config;
  if (user === undefined && pass === undefined) return undefined;
  if (user === undefined) {
    throw new ConfigError(
      "invalid configuration: NATS_USER: not set, but NATS_PASSWORD is; set both (this process's NATS user and password) or neither",
    );
  }
  if (pass === undefined) {
    throw new ConfigError(
      `invalid configuration: NATS_PASSWORD: not set, but NATS_USER (${user}) is; set both or neither`,
    );
  }
  return { user, pass };
};
