import { Kysely, PostgresDialect } from "kysely";
import pg from "pg";
import type { Database } from "./database.js";

// int8 (bigint) as a JS number: positions and versions stay far below 2^53.
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number(value));

export interface DbOptions {
  readonly max?: number;
  readonly applicationName?: string;
  readonly onIdleError?: (err: Error) => void;
}

export const createPool = (connectionString: string, options: DbOptions = {}): pg.Pool => {
  const pool = new pg.Pool({
    connectionString,
    max: options.max ?? 10,
    application_name: options.applicationName ?? "flotilla",
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

export const createDb = (connectionString: string, options: DbOptions = {}): Kysely<Database> =>
  new Kysely<Database>({
    dialect: new PostgresDialect({ pool: createPool(connectionString, options) }),
  });
