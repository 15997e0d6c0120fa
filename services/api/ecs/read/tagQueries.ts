import type { Kysely } from "kysely";
import type { Database } from "../../../../shared/db/index.js";

export const tagsOf = async (
  db: Kysely<Database>,
  resourceArn: string,
): Promise<{ key: string; value: string }[]> =>
  db
    .selectFrom("resource_tags")
    .select(["key", "value"])
    .where("resource_arn", "=", resourceArn)
    .orderBy("key")
    .execute();
