import { Kysely, PostgresDialect } from "kysely";
import pg from "pg";
import type { Database } from "./database.js";

// int8 (bigint) as a JS number: positions and versions stay far below 2^53.
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number(value));

export interface DbOptions {
  readonly max?: number;
  readonly applicationName?: string;
}

export const createPool = (connectionString: string, options: DbOptions = {}): pg.Pool =>
  new pg.Pool({
    connectionString,
    max: options.max ?? 10,
    application_name: options.applicationName ?? "flotilla",
  });

export const createDb = (connectionString: string, options: DbOptions = {}): Kysely<Database> =>
  new Kysely<Database>({
    dialect: new PostgresDialect({ pool: createPool(connectionString, options) }),
  });
