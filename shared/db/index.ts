export { createDb, createPool, poolOf, type DbOptions } from "./createDb.js";
export type * from "./database.js";
export {
  migrateToLatest,
  MigrationError,
  MIGRATIONS_DIR,
  SqlFileMigrationProvider,
} from "./migrate.js";
export { storeFailureOf, storeUnavailableError, type StoreFailure } from "./storeUnavailable.js";
