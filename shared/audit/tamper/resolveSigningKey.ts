import { generateKeyPairSync } from "node:crypto";
import type { Kysely } from "kysely";
import type { Database } from "../../db/index.js";
import type { Logger } from "../../log/index.js";
import { signingKeyFromPem, type DigestSigningKey } from "./signing.js";

export class SigningKeyError extends Error {
  override readonly name = "SigningKeyError";
}

export interface SigningKeySettings {
  /** AUDIT_SIGNING_KEY: a PKCS#8 PEM Ed25519 private key. */
  readonly pem?: string | undefined;
  /** FLOTILLA_ENV=production: no generated development key. */
  readonly production: boolean;
}

/**
 * The key digests are signed with. A configured key is used as is, and only
 * its public half is recorded (audit_signing_keys) so verifiers can find it.
 * Without one, outside production, a development key is generated once and
 * kept in the database (with a warning: whoever can write the database can
 * then forge digests); in production a missing key is an error.
 */
export const resolveSigningKey = async (
  db: Kysely<Database>,
  settings: SigningKeySettings,
  log?: Logger,
): Promise<DigestSigningKey> => {
  if (settings.pem !== undefined && settings.pem.trim() !== "") {
    let key: DigestSigningKey;
    try {
      key = signingKeyFromPem(settings.pem.replace(/\\n/g, "\n"));
    } catch (err) {
      throw new SigningKeyError(
        `AUDIT_SIGNING_KEY is not a usable Ed25519 PEM private key: ${(err as Error).message}`,
      );
    }
    await db
      .insertInto("audit_signing_keys")
      .values({ key_id: key.keyId, public_key_pem: key.publicKeyPem, private_key_pem: null })
      .onConflict((oc) => oc.column("key_id").doNothing())
      .execute();
    return key;
  }
  if (settings.production) {
    throw new SigningKeyError(
      "AUDIT_SIGNING_KEY is required when FLOTILLA_ENV=production (an Ed25519 private key in PEM; " +
        "openssl genpkey -algorithm ed25519 makes one)",
    );
  }
  const existing = async () =>
    db
      .selectFrom("audit_signing_keys")
      .select("private_key_pem")
      .where("development", "=", true)
      .where("private_key_pem", "is not", null)
      .orderBy("created_at")
      .orderBy("key_id")
      .executeTakeFirst();
  let row = await existing();
  if (row === undefined) {
    const { privateKey } = generateKeyPairSync("ed25519");
    const generated = signingKeyFromPem(
      privateKey.export({ type: "pkcs8", format: "pem" }).toString(),
    );
    await db
      .insertInto("audit_signing_keys")
      .values({
        key_id: generated.keyId,
        public_key_pem: generated.publicKeyPem,
        private_key_pem: privateKey.export({ type: "pkcs8", format: "pem" }).toString(),
        development: true,
      })
      .execute();
    row = await existing();
  }
  const key = signingKeyFromPem(row!.private_key_pem!);
  log?.warn(
    { keyId: key.keyId },
    "audit digests are signed with a development key stored in the database; set AUDIT_SIGNING_KEY (Ed25519 PEM) for real tamper evidence",
  );
  return key;
};
