import type { Kysely } from "kysely";
import type { NatsConnection } from "@nats-io/nats-core";
import type { Logger as PinoLogger } from "pino";
import { connectNats, natsCredentials, serviceInboxPrefix } from "../bus/index.js";
import { ConfigError } from "../config/index.js";
import { createDb, migrateToLatest, poolOf, type Database } from "../db/index.js";
import { createLogger } from "../log/index.js";
import { observePool, startProcessMetrics } from "../observability/index.js";
import { exitOnSignals } from "./exitOnSignals.js";
import type { CommonConfig } from "../config/index.js";

export interface ServiceRuntime {
  readonly log: PinoLogger;
  readonly db: Kysely<Database>;
  readonly nc: NatsConnection;
}

export interface ServiceDefinition<C extends CommonConfig> {
  readonly name: string;
  readonly loadConfig: () => C;
  /** Starts the service's work; returns what to stop, in order, on shutdown. */
  start(runtime: ServiceRuntime, config: C): Promise<{ stop(): Promise<void> }>;
}

/** Why start-up failed, in one line a person can act on. */
const describeStartupError = (err: unknown, config: CommonConfig | undefined): string => {
  if (err instanceof ConfigError) return err.message;
  const e = err as { code?: string; message?: string };
  if (e.code === "ECONNREFUSED" && config) {
    return `cannot reach a server (${e.message ?? ""}); is Postgres at ${redactUrl(config.DATABASE_URL)} and NATS at ${config.NATS_URL} running?`;
  }
  if (e.code === "3D000") {
    return `the database in DATABASE_URL does not exist (${e.message ?? ""}); create it or fix DATABASE_URL`;
  }
  if (e.code === "EADDRINUSE") return `port already in use: ${e.message ?? ""}; set another port`;
  return e.message ?? String(err);
};

const redactUrl = (url: string): string => url.replace(/\/\/([^:@/]+):[^@/]*@/, "//$1:***@");

/**
 * The life of every Flotilla service process: parse config (fail fast), log
 * with pino, migrate under the advisory lock, connect to Postgres and NATS,
 * start, and on SIGTERM/SIGINT stop work (no new requests or commands; those in
 * flight finish), drain NATS and close the pool. Its Prometheus metrics carry
 * `service="<name>"` and include the pool's counts (`pool="main"`).
 */
export const runService = async <C extends CommonConfig>(def: ServiceDefinition<C>) => {
  let config: C | undefined;
  let log = createLogger(def.name);
  let db: Kysely<Database> | undefined;
  let nc: NatsConnection | undefined;
  try {
    config = def.loadConfig();
    log = createLogger(def.name, config.LOG_LEVEL);
    startProcessMetrics(def.name);
    const dbLog = log;
    db = createDb(config.DATABASE_URL, {
      applicationName: `flotilla-${def.name}`,
      onIdleError: (err) => dbLog.warn({ err }, "an idle Postgres connection was closed"),
    });
    const pool = poolOf(db);
    if (pool) observePool("main", pool);
    await migrateToLatest(db as Kysely<unknown>, config.DATABASE_URL, log);
    nc = await connectNats(config.NATS_URL, `flotilla-${def.name}`, log, {
      credentials: natsCredentials(config),
      inboxPrefix: serviceInboxPrefix(def.name),
    });
    const runtime: ServiceRuntime = { log, db, nc };
    const work = await def.start(runtime, config);
    log.info({ pid: process.pid }, `${def.name} ready`);

    const [openNc, openDb] = [nc, db];
    exitOnSignals(def.name, log, openNc, async () => {
      await work.stop();
      await openNc.drain();
      await openDb.destroy();
    });
  } catch (err) {
    log.fatal(
      { err: err instanceof ConfigError ? undefined : err },
      describeStartupError(err, config),
    );
    process.stderr.write(`${def.name}: ${describeStartupError(err, config)}\n`);
    await nc?.close().catch(() => {});
    await db?.destroy().catch(() => {});
    process.exit(1);
  }
};
