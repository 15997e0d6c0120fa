import { readdir } from "node:fs/promises";
import { sql, type Kysely } from "kysely";
import { MIGRATIONS_DIR, type Database } from "../db/index.js";

let known: Promise<string[]> | undefined;

/** The migrations this build ships (`migrations/NNNN_name.sql`), read once. */
const knownMigrations = (): Promise<string[]> =>
  (known ??= readdir(MIGRATIONS_DIR).then((files) =>
    files.filter((f) => f.endsWith(".sql")).map((f) => f.replace(/\.sql$/, "")),
  ));

/**
 * Whether every migration this build ships is recorded as applied in the database
 * (Kysely's `kysely_migration` table). A database restored from an older backup, or
 * rolled back by hand, makes this false until the service is restarted (and migrates).
 */
export const migrationsApplied = async (db: Kysely<Database>): Promise<boolean> => {
  const names = await knownMigrations();
  const result = await sql<{ name: string }>`SELECT name FROM kysely_migration`.execute(db);
  const applied = new Set(result.rows.map((r) => r.name));
  return names.every((n) => applied.has(n));
};
