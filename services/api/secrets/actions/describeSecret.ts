import { z } from "zod";
import { defineAction } from "../../protocol/action.js";
import { SecretId } from "../secretInput.js";
import { secretMetadata } from "../secretMetadata.js";
import { requireSecret } from "../store/secretRows.js";

/** Secrets Manager DescribeSecret: the secret's details, never its value. */
export const describeSecret = defineAction({
  name: "DescribeSecret",
  input: z.object({ SecretId }),
  async handle(input, ctx) {
    const row = await requireSecret(ctx.db, input.SecretId, Date.now(), { allowDeleted: true });
    return secretMetadata(row);
  },
});
