import type { Kysely } from "kysely";
import type { Database } from "../../../shared/db/index.js";
import type { ArnContext } from "../../../shared/domain/arn.js";
import { secretArn } from "../../../shared/secrets/index.js";
import { findSecret } from "./store/secretRows.js";

/**
 * The resource a Secrets Manager action is authorised on: the secret's full ARN, as IAM
 * does, looked up when the request names it by name or partial ARN. A secret that does not
 * exist (and CreateSecret's new one) is `…:secret:<name>-??????` — the ARN with its random
 * suffix unknown — so a policy on `…:secret:<name>-*` covers it. ListSecrets is on `*`.
 */
export const secretResources = async (
  iamAction: string,
  input: unknown,
  ctx: { readonly db: Kysely<Database>; readonly arn: ArnContext },
): Promise<readonly string[]> => {
  const fields = (typeof input === "object" && input !== null ? input : {}) as Record<
    string,
    unknown
  >;
  if (iamAction === "secretsmanager:CreateSecret") {
    return typeof fields.Name === "string" ? [secretArn(ctx.arn, fields.Name, "??????")] : ["*"];
  }
  const id = fields.SecretId;
  if (typeof id !== "string" || id === "") return ["*"];
  const row = await findSecret(ctx.db, id, Date.now());
  if (row) return [row.arn];
  if (id.startsWith("arn:")) return [id];
  return [secretArn(ctx.arn, id, "??????")];
};
