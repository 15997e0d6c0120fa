import { sql } from "kysely";
import { z } from "zod";
import { defineAction } from "../../protocol/action.js";
import { DEFAULT_PAGE_SIZE, PagingInput, decodeToken, encodeToken } from "../pagination.js";

/**
 * ACTIVE: families with at least one ACTIVE revision; INACTIVE: families whose
 * revisions are all INACTIVE; ALL: every family. `familyPrefix` is a prefix here.
 */
export const listTaskDefinitionFamilies = defineAction({
  name: "ListTaskDefinitionFamilies",
  input: z.object({
    familyPrefix: z.string().optional(),
    status: z.enum(["ACTIVE", "INACTIVE", "ALL"]).optional(),
    ...PagingInput,
  }),
  async handle(input, ctx) {
    const limit = input.maxResults ?? DEFAULT_PAGE_SIZE;
    const status = input.status ?? "ACTIVE";
    const after = decodeToken(input.nextToken, ["string"]);
    let query = ctx.db
      .selectFrom("task_definitions")
      .select("family")
      .groupBy("family")
      .orderBy("family")
      .limit(limit + 1);
    if (input.familyPrefix !== undefined) {
      query = query.where("family", "like", `${input.familyPrefix.replace(/[\\%_]/g, "\\$&")}%`);
    }
    if (after) query = query.where("family", ">", String(after[0]));
    if (status === "ACTIVE") query = query.having(sql<boolean>`bool_or(status = 'ACTIVE')`);
    if (status === "INACTIVE") query = query.having(sql<boolean>`NOT bool_or(status = 'ACTIVE')`);
    const rows = await query.execute();
    const page = rows.slice(0, limit).map((r) => r.family);
    return {
      families: page,
      ...(rows.length > limit ? { nextToken: encodeToken([page.at(-1)!]) } : {}),
    };
  },
});
