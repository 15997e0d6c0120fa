import { randomUUID } from "node:crypto";
import { z } from "zod";
import { EcsError } from "../../../shared/domain/errors.js";
import { SECRET_NAME } from "../../../shared/secrets/index.js";

/** Secrets Manager's input fields shared by its actions (AWS JSON 1.1, PascalCase). */
export const SecretId = z.string().min(1, "SecretId: must not be empty").max(2048);
export const SecretName = z
  .string()
  .regex(SECRET_NAME, "must be 1-512 letters, digits or /_+=.@- characters");
export const ClientRequestToken = z.string().min(32).max(64).optional();
export const SecretString = z.string().max(65536).optional();
/** Base64 in the JSON protocol (the SDK encodes a Uint8Array so). */
export const SecretBinary = z.string().max(87384).optional();
export const Tags = z
  .array(z.object({ Key: z.string().min(1).max(128), Value: z.string().max(256) }))
  .max(50)
  .optional();

/** What a request gives as the secret's value: exactly one kind, or none. */
export type GivenValue =
  | { readonly kind: "string"; readonly bytes: Buffer }
  | { readonly kind: "binary"; readonly bytes: Buffer };

export const givenValue = (input: {
  readonly SecretString?: string | undefined;
  readonly SecretBinary?: string | undefined;
}): GivenValue | undefined => {
  if (input.SecretString !== undefined && input.SecretBinary !== undefined) {
    throw new EcsError(
      "InvalidParameterException",
      "You can't specify both a binary secret value and a string secret value in the same secret.",
    );
  }
  if (input.SecretString !== undefined) {
    return { kind: "string", bytes: Buffer.from(input.SecretString, "utf8") };
  }
  if (input.SecretBinary !== undefined) {
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(input.SecretBinary)) {
      throw new EcsError("InvalidParameterException", "SecretBinary: must be base64.");
    }
    return { kind: "binary", bytes: Buffer.from(input.SecretBinary, "base64") };
  }
  return undefined;
};

/** The version id of a new value: the request's token (idempotency) or a fresh UUID. */
export const versionIdOf = (token: string | undefined): string => token ?? randomUUID();

/** AWS JSON timestamps: the action returns Dates, the wire sends epoch seconds. */
export const dateOf = (ms: number | string | null): Date | undefined =>
  ms === null ? undefined : new Date(Number(ms));
