import { z } from "zod";
import { EcsError } from "../../../../shared/domain/errors.js";
import { randomArnSuffix, secretArn, type SecretsKey } from "../../../../shared/secrets/index.js";
import { defineAction } from "../../protocol/action.js";
import {
  ClientRequestToken,
  givenValue,
  SecretBinary,
  SecretName,
  SecretString,
  Tags,
  versionIdOf,
} from "../secretInput.js";
import { currentValue, sameValue, sealedColumns } from "../secretValues.js";
import { changeSecret, findSecret, purgeIfGone } from "../store/secretRows.js";

const CreateSecretInput = z.object({
  Name: SecretName,
  ClientRequestToken,
  Description: z.string().max(2048).optional(),
  KmsKeyId: z.string().max(2048).optional(),
  SecretString,
  SecretBinary,
  Tags,
  AddReplicaRegions: z.array(z.unknown()).max(0, "replica regions are not supported").optional(),
  ForceOverwriteReplicaSecret: z.boolean().optional(),
});

/** Secrets Manager CreateSecret: a new secret, with its first value when one is given. */
export const createSecret = (key: SecretsKey) =>
  defineAction({
    name: "CreateSecret",
    input: CreateSecretInput,
    async handle(input, ctx) {
      const value = givenValue(input);
      const now = Date.now();
      return changeSecret(ctx.db, ctx.metadata, async (trx) => {
        await purgeIfGone(trx, input.Name, now);
        const existing = await findSecret(trx, input.Name, now, { forUpdate: true });
        if (existing) {
          if (existing.deleted_date !== null) {
            throw new EcsError(
              "InvalidRequestException",
              "You can't create this secret because a secret with this name is already scheduled for deletion.",
            );
          }
          // The SDK's retry of the same request (same token, same value) is answered again.
          const current = currentValue(key, existing);
          const retried =
            input.ClientRequestToken !== undefined &&
            existing.version_id === input.ClientRequestToken &&
            value !== undefined &&
            current !== undefined &&
            sameValue(current, value);
          if (!retried) {
            throw new EcsError(
              "ResourceExistsException",
              `The operation failed because the secret ${input.Name} already exists.`,
            );
          }
          throw new Replay({
            ARN: existing.arn,
            Name: existing.name,
            VersionId: existing.version_id,
          });
        }
        const arn = secretArn(ctx.arn, input.Name, randomArnSuffix());
        const versionId = value === undefined ? undefined : versionIdOf(input.ClientRequestToken);
        await trx
          .insertInto("secrets")
          .values({
            name: input.Name,
            arn,
            description: input.Description ?? null,
            kms_key_id: input.KmsKeyId ?? null,
            ...(value !== undefined && versionId !== undefined
              ? sealedColumns(key, arn, versionId, value)
              : {}),
            tags: JSON.stringify(input.Tags ?? []),
            created_date: now,
            last_changed_date: now,
          })
          .execute();
        return {
          name: input.Name,
          event: {
            type: "SecretCreated",
            data: {
              name: input.Name,
              secretArn: arn,
              ...(versionId ? { versionId } : {}),
              at: now,
            },
          },
          result: { ARN: arn, Name: input.Name, VersionId: versionId },
        };
      }).catch((err: unknown) => {
        if (err instanceof Replay) return err.output;
        throw err;
      });
    },
  });

/** Ends the transaction without a change, answering what the first request answered. */
class Replay extends Error {
  constructor(readonly output: Record<string, unknown>) {
    super("replay");
  }
}
