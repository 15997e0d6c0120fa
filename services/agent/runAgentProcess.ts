import type { NatsConnection } from "@nats-io/nats-core";
import type { Server } from "node:http";
import {
  agentInboxPrefix,
  connectNats,
  FLEET_INBOX_PREFIX,
  natsCredentials,
} from "../../shared/bus/index.js";
import { ConfigError } from "../../shared/config/index.js";
import { createLogger } from "../../shared/log/index.js";
import { startProcessMetrics } from "../../shared/observability/index.js";
import { exitOnSignals, startHealthServer, type HealthChecks } from "../../shared/service/index.js";
import { loadAgentConfig, type AgentConfig } from "./config.js";

/**
 * The life of an agent process: parse config (fail fast), log with pino, connect to NATS
 * (unlimited reconnects), start the work, serve /healthz and /readyz, and on
 * SIGTERM/SIGINT stop the work and drain NATS. Unlike the other services an agent needs
 * no Postgres: it talks to the scheduler over NATS only, so NATS permissions can confine it.
 */
export const runAgentProcess = async (
  name: string,
  /** Whether this process runs the hollow fleet (many agents on one connection). */
  fleet: boolean,
  start: (
    nc: NatsConnection,
    config: Readonly<AgentConfig>,
    log: ReturnType<typeof createLogger>,
  ) => Promise<{ stop(): Promise<void>; ready: HealthChecks["ready"] }>,
): Promise<void> => {
  let log = createLogger(name);
  let nc: NatsConnection | undefined;
  try {
    const config = loadAgentConfig();
    log = createLogger(name, config.LOG_LEVEL);
    startProcessMetrics(name);
    // Replies on an inbox of this agent's own (the hollow fleet's: one for all its agents), the
    // only one its NATS user may read (docs/security.md, "NATS").
    nc = await connectNats(config.NATS_URL, `flotilla-${name}`, log, {
      credentials: natsCredentials(config),
      inboxPrefix: fleet ? FLEET_INBOX_PREFIX : agentInboxPrefix(config.FLOTILLA_AGENT_ID),
    });
    const work = await start(nc, config, log);
    const health: Server = await startHealthServer(config.HOST, config.HEALTH_PORT, {
      live: () => true,
      ready: work.ready,
    });
    log.info({ pid: process.pid }, `${name} started`);
    const openNc = nc;
    exitOnSignals(name, log, openNc, async () => {
      await work.stop();
      await new Promise<void>((resolve) => health.close(() => resolve()));
      await openNc.drain();
    });
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    log.fatal({ err: err instanceof ConfigError ? undefined : err }, message);
    process.stderr.write(`${name}: ${message}\n`);
    await nc?.close().catch(() => undefined);
    process.exit(1);
  }
};
