/** npm run migrate: applies every pending migration (services also do this at start). */
import type { Kysely } from "kysely";
import { CommonConfig, loadConfig } from "../shared/config/index.js";
import { createDb, migrateToLatest } from "../shared/db/index.js";

const config = loadConfig(CommonConfig);
const db = createDb(config.DATABASE_URL, { max: 1, applicationName: "flotilla-migrate" });
try {
  const applied = await migrateToLatest(db as Kysely<unknown>, config.DATABASE_URL);
  console.log(applied.length ? `applied: ${applied.join(", ")}` : "up to date");
} catch (err) {
  console.error(`migration failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exitCode = 1;
} finally {
  await db.destroy();
}
