import type { Kysely } from "kysely";
import type { Database } from "../../../../shared/db/index.js";

export interface TaskDefinitionKey {
  readonly family: string;
  readonly revision?: number;
}

/** A revision by number, or the latest ACTIVE one when no revision is given. */
export const findTaskDefinition = async (db: Kysely<Database>, key: TaskDefinitionKey) => {
  let query = db.selectFrom("task_definitions").selectAll().where("family", "=", key.family);
  query =
    key.revision === undefined
      ? query.where("status", "=", "ACTIVE").orderBy("revision", "desc").limit(1)
      : query.where("revision", "=", key.revision);
  return query.executeTakeFirst();
};
