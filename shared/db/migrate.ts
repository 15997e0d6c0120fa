import { readdir, readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import path from "node:path";
import { Migrator, sql, type Kysely, type Migration, type MigrationProvider } from "kysely";
import pg from "pg";
import type { Logger } from "../log/index.js";

export const MIGRATIONS_DIR = fileURLToPath(new URL("../../migrations/", import.meta.url));

/** Any 64-bit constant works; it only has to be the same in every process. */
const MIGRATION_LOCK_KEY = 7_346_102_981;

/** Ordered plain-SQL migrations: `NNNN_name.sql`, applied in name order. */
export class SqlFileMigrationProvider implements MigrationProvider {
  constructor(private readonly dir: string = MIGRATIONS_DIR) {}

  async getMigrations(): Promise<Record<string, Migration>> {
    const files = (await readdir(this.dir)).filter((f) => f.endsWith(".sql")).sort();
    const migrations: Record<string, Migration> = {};
    for (const file of files) {
      const text = await readFile(path.join(this.dir, file), "utf8");
      migrations[file.replace(/\.sql$/, "")] = {
        up: async (db: Kysely<unknown>) => {
          await sql.raw(text).execute(db);
        },
      };
    }
    return migrations;
  }
}

export class MigrationError extends Error {
  override readonly name = "MigrationError";
}

/**
 * Applies every pending migration. A session-level advisory lock, held on a
 * connection of its own, makes concurrent service starts wait for each other
 * instead of racing; Kysely's own lock table is a second guard.
 */
export const migrateToLatest = async (
  db: Kysely<unknown>,
  connectionString: string,
  log?: Logger,
): Promise<string[]> => {
  const lockClient = new pg.Client({ connectionString, application_name: "flotilla-migrate" });
  await lockClient.connect();
  try {
    await lockClient.query("SELECT pg_advisory_lock($1)", [MIGRATION_LOCK_KEY]);
    const migrator = new Migrator({ db, provider: new SqlFileMigrationProvider() });
    const { error, results } = await migrator.migrateToLatest();
    const applied = (results ?? [])
      .filter((r) => r.status === "Success")
      .map((r) => r.migrationName);
    const failed = (results ?? []).find((r) => r.status === "Error");
    if (error !== undefined || failed) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new MigrationError(
        `migration ${failed?.migrationName ?? "(unknown)"} failed: ${reason}`,
      );
    }
    if (applied.length > 0) log?.info({ applied }, "migrations applied");
    return applied;
  } finally {
    await lockClient.query("SELECT pg_advisory_unlock($1)", [MIGRATION_LOCK_KEY]).catch(() => {});
    await lockClient.end();
  }
};
