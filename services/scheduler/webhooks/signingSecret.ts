import { createHash, randomBytes } from "node:crypto";

/** `whsec_` + base64 of 32 random bytes, the Standard Webhooks secret format. */
export const newSigningSecret = (): string => `whsec_${randomBytes(32).toString("base64")}`;

/** The hex SHA-256 of the secret as shown to the user; the only form the event log holds. */
export const secretSha256 = (secret: string): string =>
  createHash("sha256").update(secret, "utf8").digest("hex");
