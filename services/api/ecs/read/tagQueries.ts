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

/** The tags of many resources in one query, by resource ARN (an untagged one maps to []). */
export const tagsOfMany = async (
  db: Kysely<Database>,
  resourceArns: readonly string[],
): Promise<Map<string, { key: string; value: string }[]>> => {
  const byArn = new Map<string, { key: string; value: string }[]>(
    resourceArns.map((arn) => [arn, []]),
  );
  if (resourceArns.length === 0) return byArn;
  const rows = await db
    .selectFrom("resource_tags")
    .select(["resource_arn", "key", "value"])
    .where("resource_arn", "in", resourceArns)
    .orderBy("resource_arn")
    .orderBy("key")
    .execute();
  for (const r of rows) byArn.get(r.resource_arn)?.push({ key: r.key, value: r.value });
  return byArn;
};
