import type { NatsConnection } from "@nats-io/nats-core";
import type { Server } from "node:http";
import { connectNats } from "../../shared/bus/index.js";
import { ConfigError } from "../../shared/config/index.js";
import { createLogger } from "../../shared/log/index.js";
import { startHealthServer, type HealthChecks } from "../../shared/service/index.js";
import { loadAgentConfig, type AgentConfig } from "./config.js";

/**
 * The life of an agent process: parse config (fail fast), log with pino, connect to NATS
 * (unlimited reconnects), start the work, serve /healthz and /readyz, and on
 * SIGTERM/SIGINT stop the work and drain NATS. Unlike the other services an agent needs
 * no Postgres: it talks to the scheduler over NATS only, so NATS permissions can confine it.
 */
export const runAgentProcess = async (
  name: string,
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
    nc = await connectNats(config.NATS_URL, `flotilla-${name}`, log);
    const work = await start(nc, config, log);
    const health: Server = await startHealthServer(config.HOST, config.HEALTH_PORT, {
      live: () => true,
      ready: work.ready,
    });
    log.info({ pid: process.pid }, `${name} started`);
    let stopping = false;
    const shutdown = async (signal: string) => {
      if (stopping) return;
      stopping = true;
      log.info({ signal }, `${name} stopping`);
      try {
        await work.stop();
        await new Promise<void>((resolve) => health.close(() => resolve()));
        await nc?.drain();
        process.exit(0);
      } catch (err) {
        log.error({ err }, "unclean shutdown");
        process.exit(1);
      }
    };
    process.once("SIGTERM", () => void shutdown("SIGTERM"));
    process.once("SIGINT", () => void shutdown("SIGINT"));
    void nc.closed().then((err) => {
      if (!stopping) {
        log.fatal({ err }, "NATS connection closed for good; exiting");
        process.exit(1);
      }
    });
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    log.fatal({ err: err instanceof ConfigError ? undefined : err }, message);
    process.stderr.write(`${name}: ${message}\n`);
    await nc?.close().catch(() => undefined);
    process.exit(1);
  }
};
