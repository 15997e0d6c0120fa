import { z } from "zod";
import { EcsError } from "../../../../shared/domain/errors.js";
import type { SecretsKey } from "../../../../shared/secrets/index.js";
import { defineAction } from "../../protocol/action.js";
import {
  ClientRequestToken,
  givenValue,
  SecretBinary,
  SecretId,
  SecretString,
  versionIdOf,
} from "../secretInput.js";
import { currentValue, sameValue, sealedColumns } from "../secretValues.js";
import { changeSecret, requireSecret } from "../store/secretRows.js";

const PutSecretValueInput = z.object({
  SecretId,
  ClientRequestToken,
  SecretString,
  SecretBinary,
  VersionStages: z
    .array(z.literal("AWSCURRENT", { message: "only AWSCURRENT is supported" }))
    .optional(),
  RotationToken: z.string().optional(),
});

/**
 * Secrets Manager PutSecretValue: a new current version. Flotilla keeps the current
 * version only (docs/secrets.md); the previous value is overwritten.
 */
export const putSecretValue = (key: SecretsKey) =>
  defineAction({
    name: "PutSecretValue",
    input: PutSecretValueInput,
    async handle(input, ctx) {
      const value = givenValue(input);
      if (value === undefined) {
        throw new EcsError(
          "InvalidRequestException",
          "You must provide either SecretString or SecretBinary.",
        );
      }
      const now = Date.now();
      return changeSecret(ctx.db, ctx.metadata, async (trx) => {
        const row = await requireSecret(trx, input.SecretId, now, { forUpdate: true });
        const output = (versionId: string) => ({
          ARN: row.arn,
          Name: row.name,
          VersionId: versionId,
          VersionStages: ["AWSCURRENT"],
        });
        if (input.ClientRequestToken !== undefined && row.version_id === input.ClientRequestToken) {
          const current = currentValue(key, row);
          if (current && sameValue(current, value)) {
            // The same request again: nothing changes, nothing is appended.
            throw new Unchanged(output(row.version_id));
          }
          throw new EcsError(
            "ResourceExistsException",
            "You can't modify an existing version, you can only create a new version.",
          );
        }
        const versionId = versionIdOf(input.ClientRequestToken);
        await trx
          .updateTable("secrets")
          .set({ ...sealedColumns(key, row.arn, versionId, value), last_changed_date: now })
          .where("name", "=", row.name)
          .execute();
        return {
          name: row.name,
          event: {
            type: "SecretValuePut",
            data: { name: row.name, secretArn: row.arn, versionId, at: now },
          },
          result: output(versionId),
        };
      }).catch((err: unknown) => {
        if (err instanceof Unchanged) return err.output;
        throw err;
      });
    },
  });

class Unchanged extends Error {
  constructor(readonly output: Record<string, unknown>) {
    super("unchanged");
  }
}
