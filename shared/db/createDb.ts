import { Kysely, PostgresDialect } from "kysely";
import pg from "pg";
import type { Database } from "./database.js";

// int8 (bigint) as a JS number: positions and versions stay far below 2^53.
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number(value));

export interface DbOptions {
  readonly max?: number;
  readonly applicationName?: string;
  readonly onIdleError?: (err: Error) => void;
  /**
   * How long to wait for a new connection (default 5 s): with Postgres unreachable or hung, a
   * query fails within this rather than waiting for ever, and callers answer 503 at once.
   */
  readonly connectTimeoutMs?: number;
}

/**
 * A client class whose connection attempt gives up after `ms`. Set on the clients, not on the
 * pool: the pool's own `connectionTimeoutMillis` would also fail a query that merely waits
 * for a free client of a busy pool.
 */
const clientWithConnectTimeout = (ms: number): typeof pg.Client =>
  class extends pg.Client {
    constructor(config?: string | pg.ClientConfig) {
      super(
        typeof config === "string"
          ? { connectionString: config, connectionTimeoutMillis: ms }
          : { ...config, connectionTimeoutMillis: ms },
      );
    }
  };

export const createPool = (connectionString: string, options: DbOptions = {}): pg.Pool => {
  const pool = new pg.Pool({
    connectionString,
    max: options.max ?? 10,
    application_name: options.applicationName ?? "flotilla",
    Client: clientWithConnectTimeout(options.connectTimeoutMs ?? 5_000),
  });
  // A client whose connection Postgres closed (a restart, a terminated backend)
  // emits 'error': on the pool while idle, on the client itself while checked
  // out between queries. Unhandled, either would end the process. The failed
  // query (if any) still rejects; the pool drops the client and the next query
  // opens a fresh one.
  const onError = (err: Error) => options.onIdleError?.(err);
  pool.on("error", onError);
  pool.on("connect", (client) => {
    client.on("error", onError);
  });
  return pool;
};

/** The pool behind each database handle createDb made (its counts feed /metrics). */
const pools = new WeakMap<Kysely<Database>, pg.Pool>();

export const createDb = (connectionString: string, options: DbOptions = {}): Kysely<Database> => {
  const pool = createPool(connectionString, options);
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  pools.set(db, pool);
  return db;
};

/** The pg pool of a handle made by createDb; undefined for any other. */
export const poolOf = (db: Kysely<Database>): pg.Pool | undefined => pools.get(db);
