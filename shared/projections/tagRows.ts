import type { Kysely } from "kysely";
import type { Database } from "../db/index.js";
import type { Tag } from "../domain/tags/tag.js";

export const replaceTags = async (
  db: Kysely<Database>,
  resourceArn: string,
  tags: readonly Tag[],
): Promise<void> => {
  await db.deleteFrom("resource_tags").where("resource_arn", "=", resourceArn).execute();
  await upsertTags(db, resourceArn, tags);
};

export const upsertTags = async (
  db: Kysely<Database>,
  resourceArn: string,
  tags: readonly Tag[],
): Promise<void> => {
  if (tags.length === 0) return;
  await db
    .insertInto("resource_tags")
    .values(tags.map((t) => ({ resource_arn: resourceArn, key: t.key, value: t.value ?? "" })))
    .onConflict((oc) =>
      oc
        .columns(["resource_arn", "key"])
        .doUpdateSet((eb) => ({ value: eb.ref("excluded.value") })),
    )
    .execute();
};
