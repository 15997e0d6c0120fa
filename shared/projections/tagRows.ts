import { sql, type Kysely } from "kysely";
import type { Database } from "../db/index.js";
import type { Tag } from "../domain/tags/tag.js";
import { insertRows } from "./insertRows.js";

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

/**
 * upsertTags of several resources in one statement of constant text (insertRows).
 * A resource's tags must not repeat a key, as for upsertTags.
 */
export const upsertTagsOfMany = async (
  db: Kysely<Database>,
  resources: readonly { readonly resourceArn: string; readonly tags: readonly Tag[] }[],
): Promise<void> => {
  await insertRows(
    db,
    "resource_tags",
    resources.flatMap(({ resourceArn, tags }) =>
      tags.map((t) => ({ resource_arn: resourceArn, key: t.key, value: t.value ?? "" })),
    ),
    { onConflict: sql`ON CONFLICT (resource_arn, key) DO UPDATE SET value = excluded.value` },
  );
};
