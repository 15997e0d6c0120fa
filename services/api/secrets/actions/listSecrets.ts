import { z } from "zod";
import { EcsError } from "../../../../shared/domain/errors.js";
import { defineAction } from "../../protocol/action.js";
import { secretMetadata } from "../secretMetadata.js";

const ListSecretsInput = z.object({
  MaxResults: z.number().int().min(1).max(100).optional(),
  NextToken: z.string().optional(),
  IncludePlannedDeletion: z.boolean().optional(),
  SortOrder: z.enum(["asc", "desc"]).optional(),
  Filters: z
    .array(
      z.object({
        Key: z.enum(["name", "description", "tag-key", "tag-value", "all"]),
        Values: z.array(z.string()).min(1),
      }),
    )
    .optional(),
});

const token = (name: string) => Buffer.from(name, "utf8").toString("base64url");
const fromToken = (t: string) => {
  const name = Buffer.from(t, "base64url").toString("utf8");
  if (!name) throw new EcsError("InvalidNextTokenException", "The NextToken is not valid.");
  return name;
};

/**
 * Secrets Manager ListSecrets: every secret's details without its value, by name
 * (`Filters` on name, description and tags match by prefix, as AWS does).
 */
export const listSecrets = defineAction({
  name: "ListSecrets",
  input: ListSecretsInput,
  async handle(input, ctx) {
    const now = Date.now();
    const limit = input.MaxResults ?? 100;
    const desc = input.SortOrder === "desc";
    let query = ctx.db.selectFrom("secrets").selectAll();
    if (!input.IncludePlannedDeletion) query = query.where("deleted_date", "is", null);
    else
      query = query.where((eb) =>
        eb.or([eb("deleted_date", "is", null), eb("deleted_date", ">", now)]),
      );
    if (input.NextToken !== undefined) {
      query = query.where("name", desc ? "<" : ">", fromToken(input.NextToken));
    }
    const rows = await query.orderBy("name", desc ? "desc" : "asc").execute();
    const matching = rows.filter((row) =>
      (input.Filters ?? []).every((f) =>
        f.Values.some((v) => {
          const tags = row.tags;
          switch (f.Key) {
            case "name":
              return row.name.startsWith(v);
            case "description":
              return (row.description ?? "").startsWith(v);
            case "tag-key":
              return tags.some((t) => t.Key.startsWith(v));
            case "tag-value":
              return tags.some((t) => t.Value.startsWith(v));
            case "all":
              return (
                row.name.startsWith(v) ||
                (row.description ?? "").startsWith(v) ||
                tags.some((t) => t.Key.startsWith(v) || t.Value.startsWith(v))
              );
          }
        }),
      ),
    );
    const page = matching.slice(0, limit);
    const last = page[page.length - 1];
    return {
      SecretList: page.map(secretMetadata),
      NextToken: matching.length > limit && last ? token(last.name) : undefined,
    };
  },
});
