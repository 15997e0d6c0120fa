import { z } from "zod";
import { EcsError } from "../../../../shared/domain/errors.js";
import type { SecretsKey } from "../../../../shared/secrets/index.js";
import { defineAction } from "../../protocol/action.js";
import { dateOf, SecretId } from "../secretInput.js";
import { currentValue, valueOutput } from "../secretValues.js";
import { requireSecret } from "../store/secretRows.js";

const GetSecretValueInput = z.object({
  SecretId,
  VersionId: z.string().min(32).max(64).optional(),
  VersionStage: z.string().min(1).max(256).optional(),
});

/** Secrets Manager GetSecretValue: the current value (the only version Flotilla keeps). */
export const getSecretValue = (key: SecretsKey) =>
  defineAction({
    name: "GetSecretValue",
    input: GetSecretValueInput,
    async handle(input, ctx) {
      const row = await requireSecret(ctx.db, input.SecretId, Date.now());
      const stage = input.VersionStage ?? "AWSCURRENT";
      const value = currentValue(key, row);
      if (
        value === undefined ||
        stage !== "AWSCURRENT" ||
        (input.VersionId !== undefined && input.VersionId !== row.version_id)
      ) {
        throw new EcsError(
          "ResourceNotFoundException",
          input.VersionId !== undefined
            ? `Secrets Manager can't find the specified secret value for VersionId: ${input.VersionId}`
            : `Secrets Manager can't find the specified secret value for staging label: ${stage}`,
        );
      }
      return {
        ARN: row.arn,
        Name: row.name,
        VersionId: row.version_id,
        ...valueOutput(value),
        VersionStages: ["AWSCURRENT"],
        CreatedDate: dateOf(row.last_changed_date),
      };
    },
  });
