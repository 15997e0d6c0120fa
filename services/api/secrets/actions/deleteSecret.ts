import { z } from "zod";
import { EcsError } from "../../../../shared/domain/errors.js";
import { defineAction } from "../../protocol/action.js";
import { SecretId } from "../secretInput.js";
import { changeSecret, requireSecret } from "../store/secretRows.js";

const DeleteSecretInput = z.object({
  SecretId,
  RecoveryWindowInDays: z.number().int().min(7).max(30).optional(),
  ForceDeleteWithoutRecovery: z.boolean().optional(),
});

const DAY_MS = 86_400_000;

/**
 * Secrets Manager DeleteSecret: with `ForceDeleteWithoutRecovery` the secret and its
 * value are gone at once; otherwise it is marked for deletion after the recovery window
 * (default 30 days): it can no longer be read or changed, its name stays taken until then.
 * (Flotilla has no RestoreSecret.)
 */
export const deleteSecret = defineAction({
  name: "DeleteSecret",
  input: DeleteSecretInput,
  async handle(input, ctx) {
    if (input.ForceDeleteWithoutRecovery && input.RecoveryWindowInDays !== undefined) {
      throw new EcsError(
        "InvalidParameterException",
        "You can't use ForceDeleteWithoutRecovery in conjunction with RecoveryWindowInDays.",
      );
    }
    const now = Date.now();
    const force = input.ForceDeleteWithoutRecovery ?? false;
    return changeSecret(ctx.db, ctx.metadata, async (trx) => {
      const row = await requireSecret(trx, input.SecretId, now, {
        forUpdate: true,
        allowDeleted: true,
      });
      if (row.deleted_date !== null && !force) {
        throw new EcsError(
          "InvalidRequestException",
          "You can't perform this operation on the secret because it was already scheduled for deletion.",
        );
      }
      const deletionDate = force ? now : now + (input.RecoveryWindowInDays ?? 30) * DAY_MS;
      if (force) {
        await trx.deleteFrom("secrets").where("name", "=", row.name).execute();
      } else {
        await trx
          .updateTable("secrets")
          .set({ deleted_date: deletionDate })
          .where("name", "=", row.name)
          .execute();
      }
      return {
        name: row.name,
        event: {
          type: "SecretDeleted",
          data: {
            name: row.name,
            secretArn: row.arn,
            deletionDate,
            forceDeleteWithoutRecovery: force,
            at: now,
          },
        },
        result: { ARN: row.arn, Name: row.name, DeletionDate: new Date(deletionDate) },
      };
    });
  },
});
