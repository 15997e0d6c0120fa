import { createHash } from "node:crypto";
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

/** The most distinct statements one connection prepares; past it, statements go unnamed. */
const MAX_PREPARED_PER_CONNECTION = 500;
/** The most statement texts whose names are remembered (hashing a text costs more than a lookup). */
const MAX_REMEMBERED_NAMES = 5_000;
const names = new Map<string, string>();

/** A prepared statement's name: a hash of its text, so one text has one name on every connection. */
const statementName = (text: string): string => {
  let name = names.get(text);
  if (name === undefined) {
    name = `f_${createHash("sha1").update(text).digest("base64url")}`;
    if (names.size < MAX_REMEMBERED_NAMES) names.set(text, name);
  }
  return name;
};

interface Prepared {
  /** Names this connection has prepared. */
  readonly names: Set<string>;
  /** Names whose result type changed since (a migration added a column): run unnamed. */
  readonly stale: Set<string>;
}
const preparedOf = new WeakMap<pg.Client, Prepared>();

// Called with each client as `this`.
// eslint-disable-next-line @typescript-eslint/unbound-method
const plainQuery = pg.Client.prototype.query as (this: pg.Client, ...args: unknown[]) => unknown;

/** Postgres's "cached plan must not change result type" (a table changed under a prepared statement). */
const RESULT_TYPE_CHANGED = "0A000";

/** pg's query, with kysely's `(text, values)` calls sent as named statements. */
const preparingQuery = function (this: pg.Client, ...args: unknown[]): unknown {
  const [text, values, callback] = args;
  if (typeof text === "string" && Array.isArray(values) && values.length > 0 && !callback) {
    const name = statementName(text);
    let prepared = preparedOf.get(this);
    if (!prepared) preparedOf.set(this, (prepared = { names: new Set(), stale: new Set() }));
    const { names: known, stale } = prepared;
    if (!stale.has(name) && (known.has(name) || known.size < MAX_PREPARED_PER_CONNECTION)) {
      known.add(name);
      return (plainQuery.call(this, { name, text, values }) as Promise<unknown>).catch(
        (err: unknown) => {
          if ((err as { code?: string }).code !== RESULT_TYPE_CHANGED) throw err;
          // The statement did not run. Unnamed from now on; run it so once more (inside a
          // transaction this fails too, as the transaction is aborted, and the caller retries).
          stale.add(name);
          return plainQuery.call(this, text, values);
        },
      );
    }
  }
  return plainQuery.apply(this, args);
} as pg.Client["query"];

/**
 * A client class whose connection attempt gives up after `ms`, and which prepares its
 * statements. The timeout is set on the clients, not on the pool: the pool's own
 * `connectionTimeoutMillis` would also fail a query that merely waits for a free client of a
 * busy pool.
 *
 * Every statement with parameters (all that kysely builds) runs as a named prepared statement
 * of the connection, so Postgres parses it once per connection and, after a few runs, plans
 * it once too: planning was most of the server's time for the api's reads
 * (docs/performance.md). Statements without parameters (migrations' scripts, BEGIN, COMMIT)
 * run as they are. A connection prepares at most MAX_PREPARED_PER_CONNECTION distinct texts
 * (an IN list of each length is a text of its own); later ones run unnamed. A prepared
 * statement whose result columns a migration changed fails once with "cached plan must not
 * change result type"; it is then run again unnamed, and stays unnamed on that connection.
 */
const clientWithConnectTimeout = (ms: number): typeof pg.Client => {
  const Client = class extends pg.Client {
    constructor(config?: string | pg.ClientConfig) {
      super(
        typeof config === "string"
          ? { connectionString: config, connectionTimeoutMillis: ms }
          : { ...config, connectionTimeoutMillis: ms },
      );
    }
  };
  // Assigned, not overridden: pg's overloads cannot be restated in a subclass.
  Client.prototype.query = preparingQuery;
  return Client;
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
