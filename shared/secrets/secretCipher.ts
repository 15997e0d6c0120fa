import { createCipheriv, createDecipheriv, createHash, randomBytes } from "node:crypto";

/** A secret value as the store keeps it: AES-256-GCM, its 12-byte IV and 16-byte tag. */
export interface SealedValue {
  readonly iv: Buffer;
  readonly ciphertext: Buffer;
  readonly tag: Buffer;
}

/** The key of the secret store: 32 bytes (FLOTILLA_SECRETS_KEY, base64). */
export type SecretsKey = Buffer & { readonly __secretsKey: true };

/**
 * The development default key: derived from a public string, so anyone can decrypt what it
 * sealed. The api warns when it uses it and refuses it when FLOTILLA_ENV=production.
 */
export const DEV_SECRETS_KEY = createHash("sha256")
  .update("flotilla development secrets key (not secret)")
  .digest() as SecretsKey;

/** Base64 text → a 32-byte key, or why it is not one (never echoing the text). */
export const parseSecretsKey = (
  text: string,
): { ok: true; key: SecretsKey } | { ok: false; message: string } => {
  const trimmed = text.trim();
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(trimmed)) {
    return { ok: false, message: "must be base64 (e.g. `openssl rand -base64 32`)" };
  }
  const key = Buffer.from(trimmed, "base64");
  if (key.length !== 32) {
    return { ok: false, message: `must be 32 bytes of base64, got ${key.length} bytes` };
  }
  return { ok: true, key: key as SecretsKey };
};

/** The additional data a value is bound to: its secret and version. */
const boundTo = (arn: string, versionId: string): Buffer => Buffer.from(`${arn}\n${versionId}`);

/** Encrypts a value for one secret version (a fresh random IV every time). */
export const sealValue = (
  key: SecretsKey,
  arn: string,
  versionId: string,
  plaintext: Buffer,
): SealedValue => {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key, iv);
  cipher.setAAD(boundTo(arn, versionId));
  const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return { iv, ciphertext, tag: cipher.getAuthTag() };
};

/** Decrypts a sealed value; throws when the key, the binding or the bytes are wrong. */
export const openValue = (
  key: SecretsKey,
  arn: string,
  versionId: string,
  sealed: SealedValue,
): Buffer => {
  const decipher = createDecipheriv("aes-256-gcm", key, sealed.iv);
  decipher.setAAD(boundTo(arn, versionId));
  decipher.setAuthTag(sealed.tag);
  return Buffer.concat([decipher.update(sealed.ciphertext), decipher.final()]);
};
