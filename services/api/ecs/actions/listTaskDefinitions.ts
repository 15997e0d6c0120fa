import { z } from "zod";
import { defineAction } from "../../protocol/action.js";
import { DEFAULT_PAGE_SIZE, PagingInput, decodeToken, encodeToken } from "../pagination.js";

/** `familyPrefix` is, despite its name, the full family name (as in ECS). */
export const listTaskDefinitions = defineAction({
  name: "ListTaskDefinitions",
  input: z.object({
    familyPrefix: z.string().optional(),
    status: z.enum(["ACTIVE", "INACTIVE", "DELETE_IN_PROGRESS"]).optional(),
    sort: z.enum(["ASC", "DESC"]).optional(),
    ...PagingInput,
  }),
  async handle(input, ctx) {
    const limit = input.maxResults ?? DEFAULT_PAGE_SIZE;
    const desc = input.sort === "DESC";
    const after = decodeToken(input.nextToken, ["string", "number"]);
    let query = ctx.db
      .selectFrom("task_definitions")
      .select(["task_definition_arn", "family", "revision"])
      .where("status", "=", input.status ?? "ACTIVE")
      .orderBy("family", desc ? "desc" : "asc")
      .orderBy("revision", desc ? "desc" : "asc")
      .limit(limit + 1);
    if (input.familyPrefix !== undefined) query = query.where("family", "=", input.familyPrefix);
    if (after) {
      const [family, revision] = [String(after[0]), Number(after[1])];
      query = query.where((eb) =>
        eb(eb.refTuple("family", "revision"), desc ? "<" : ">", eb.tuple(family, revision)),
      );
    }
    const rows = await query.execute();
    const page = rows.slice(0, limit);
    const last = page.at(-1);
    return {
      taskDefinitionArns: page.map((r) => r.task_definition_arn),
      ...(rows.length > limit && last
        ? { nextToken: encodeToken([last.family, last.revision]) }
        : {}),
    };
  },
});
